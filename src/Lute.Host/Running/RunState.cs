using System.Text.Json;
using Lute.Contracts;
using Lute.Host.Store;

namespace Lute.Host.Running;

/// <summary>What the runner learns from a run's events: result, summary, metadata and what the task said of itself.</summary>
internal sealed class RunState
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _summary = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonElement> _metadata = new(StringComparer.Ordinal);
    private readonly List<JsonElement> _reportItems = [];
    private readonly List<UndeliveredEntry> _undelivered = [];
    private readonly List<HookErrorEntry> _hookErrors = [];

    public JsonElement? Payload { get; private set; }

    public string? TaskFailure { get; private set; }

    public bool TaskCancelled { get; private set; }

    public long LogLines { get; private set; }

    public long Messages { get; private set; }

    public long IgnoredResults { get; private set; }

    public void Apply(TaskEvent taskEvent)
    {
        switch (taskEvent)
        {
            case LogLineEvent:
                LogLines++;
                break;
            case TaskMessageEvent { Message: var message }:
                Messages++;
                ApplyMessage(message);
                break;
        }
    }

    private void ApplyMessage(TaskMessage message)
    {
        switch (message.Signal)
        {
            case TaskSignals.Result when message.Rank is null or 0:
                ApplyResult(message.Contents);
                break;
            case TaskSignals.Result:
                IgnoredResults++;
                break;
            case TaskSignals.Failed:
                TaskFailure = Describe(message.Contents) ?? "the task reported a failure";
                break;
            case TaskSignals.Cancelled:
                TaskCancelled = true;
                break;
            case TaskSignals.Metadata when message.Contents.ValueKind == JsonValueKind.Object:
                lock (_gate)
                {
                    foreach (var property in message.Contents.EnumerateObject())
                    {
                        _metadata[property.Name] = property.Value.Clone();
                    }
                }

                break;
        }
    }

    private void ApplyResult(JsonElement contents)
    {
        var structured = contents.ValueKind == JsonValueKind.Object
                         && (contents.TryGetProperty("payload", out _) || contents.TryGetProperty("summary", out _)
                             || contents.TryGetProperty("report", out _));
        if (!structured)
        {
            if (contents.ValueKind != JsonValueKind.Undefined)
            {
                Payload = contents;
            }

            return;
        }

        // A null payload is no payload: a task that sends only a summary keeps the task file's `result:`.
        if (contents.TryGetProperty("payload", out var payload) && payload.ValueKind != JsonValueKind.Null)
        {
            Payload = payload.Clone();
        }

        if (contents.TryGetProperty("report", out var report))
        {
            lock (_gate)
            {
                if (report.ValueKind == JsonValueKind.Array)
                {
                    _reportItems.AddRange(report.EnumerateArray().Select(item => item.Clone()));
                }
                else if (report.ValueKind != JsonValueKind.Null)
                {
                    _reportItems.Add(report.Clone());
                }
            }
        }

        if (contents.TryGetProperty("summary", out var summary))
        {
            if (summary.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in summary.EnumerateObject())
                {
                    AddSummary(property.Name, AsText(property.Value));
                }
            }
            else if (summary.ValueKind != JsonValueKind.Null)
            {
                AddSummary("summary", AsText(summary));
            }
        }
    }

    public void SetPayload(JsonElement payload) => Payload = payload;

    public void AddSummary(string key, string value)
    {
        lock (_gate)
        {
            _summary[key] = value;
        }
    }

    public Dictionary<string, string> Summary()
    {
        lock (_gate)
        {
            return new Dictionary<string, string>(_summary, StringComparer.Ordinal);
        }
    }

    public Dictionary<string, JsonElement> Metadata()
    {
        lock (_gate)
        {
            return new Dictionary<string, JsonElement>(_metadata, StringComparer.Ordinal);
        }
    }

    /// <summary>Figures and fragments the task sent for its report, in the order they arrived.</summary>
    public List<JsonElement> ReportItems()
    {
        lock (_gate)
        {
            return [.. _reportItems];
        }
    }

    public void AddUndelivered(UndeliveredEntry entry)
    {
        lock (_gate)
        {
            _undelivered.Add(entry);
        }
    }

    public List<UndeliveredEntry> Undelivered()
    {
        lock (_gate)
        {
            return [.. _undelivered];
        }
    }

    public void AddHookError(HookErrorEntry entry)
    {
        lock (_gate)
        {
            _hookErrors.Add(entry);
        }
    }

    public List<HookErrorEntry> HookErrors()
    {
        lock (_gate)
        {
            return [.. _hookErrors];
        }
    }

    public static string AsText(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    private static string? Describe(JsonElement contents) => contents.ValueKind switch
    {
        JsonValueKind.String => contents.GetString(),
        JsonValueKind.Object when contents.TryGetProperty("reason", out var r) => AsText(r),
        JsonValueKind.Object or JsonValueKind.Array => contents.GetRawText(),
        _ => null,
    };
}
