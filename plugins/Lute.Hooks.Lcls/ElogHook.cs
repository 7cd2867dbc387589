using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lute.Contracts;
using Lute.Hooks.Support;
using Microsoft.Extensions.Logging;

namespace Lute.Hooks.Lcls;

/// <summary>
/// Posts a run to the LCLS electronic logbook, as LUTE's eLog client does: the task's status as a run status counter
/// (<c>"TASK status": "RUNNING"</c>...) when it starts, stops, continues and ends; its summary key/values as run-table
/// parameters; and its HTML report as a logbook entry.
/// </summary>
[LuteComponent("lcls.elog", Description = "posts status counters, run-table parameters and the run's report to the LCLS eLog", Settings = typeof(ElogOptions))]
internal sealed partial class ElogHook : IHook, IDisposable
{
    private readonly ElogOptions _options;
    private readonly Uri _base;
    private readonly string? _authorization;
    private readonly HttpDelivery _http;
    private readonly ILogger _logger;

    // Hooks are built for one run and called one event at a time.
    private bool _runningPosted;

    public ElogHook(PluginSettings settings, ILogger<ElogHook> logger)
    {
        _options = HookSettings.Bind<ElogOptions>(settings);
        _base = new Uri(_options.BaseUrl!.TrimEnd('/') + "/");
        _authorization = _options.Auth switch
        {
            ElogAuthentication.Basic => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_options.User}:{_options.Password!.Read("password").Value}")),
            ElogAuthentication.Kerberos => "Negotiate " + _options.KerberosToken!.Read("kerberos_token").Value,
            _ => null,
        };
        _logger = logger;
        _http = new HttpDelivery(_options.Http, logger, $"lute-lcls-elog/{typeof(ElogHook).Assembly.GetName().Version}");
    }

    public async ValueTask OnEventAsync(TaskEvent taskEvent, HookContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (experiment, run) = Where(context.Run);
        switch (taskEvent)
        {
            case RunStartedEvent:
                break;
            // RUNNING once: when the process is launched (a plain command never sends TASK_STARTED), or when the task
            // says it started if the binding does not receive "launched".
            case TaskLaunchedEvent or TaskMessageEvent { Message.Signal: TaskSignals.Started } when !_runningPosted:
                _runningPosted = true;
                await PostStatusAsync("RUNNING", experiment, run, taskEvent, context, cancellationToken).ConfigureAwait(false);
                break;
            case TaskMessageEvent { Message.Signal: TaskSignals.Stopped }:
                await PostStatusAsync("STOPPED", experiment, run, taskEvent, context, cancellationToken).ConfigureAwait(false);
                break;
            case TaskStatusEvent status:
                await PostStatusAsync(EventJson.Status(status.Status), experiment, run, taskEvent, context, cancellationToken).ConfigureAwait(false);
                break;
            case RunEndedEvent { Result: var result }:
                await EndAsync(result, experiment, run, taskEvent, context, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private async Task EndAsync(RunResult result, string experiment, string run, TaskEvent taskEvent, HookContext context, CancellationToken cancellationToken)
    {
        // Each post is tried even when an earlier one failed; failures are recorded and reported together.
        var failures = new List<string>();
        async Task Try(Func<Task> post)
        {
            try
            {
                await post().ConfigureAwait(false);
            }
            catch (DeliveryException e)
            {
                failures.Add(e.Message);
            }
        }

        await Try(() => PostStatusAsync(EventJson.Status(result.Status), experiment, run, taskEvent, context, cancellationToken)).ConfigureAwait(false);
        if (_options.RunParams && result.Summary.Count > 0)
        {
            await Try(() => PostRunParametersAsync(result.Summary, experiment, run, taskEvent, context, cancellationToken)).ConfigureAwait(false);
        }

        if (_options.Report && result.ReportPath is { } report)
        {
            await Try(() => PostReportAsync(result, report, experiment, taskEvent, context, cancellationToken)).ConfigureAwait(false);
        }

        if (failures.Count > 0)
        {
            throw new DeliveryException(string.Join("; ", failures));
        }
    }

    /// <summary>
    /// Reads the current counters (<c>POST BASE/EXPERIMENT/get_counters</c>), sets this task's status among them and
    /// posts them all to the URL in <c>$JID_UPDATE_COUNTERS</c>: that endpoint replaces the counters, so without the
    /// current ones nothing is posted (it would erase the others); the update is then recorded as undelivered.
    /// </summary>
    private async Task PostStatusAsync(string status, string experiment, string run, TaskEvent taskEvent, HookContext context, CancellationToken cancellationToken)
    {
        if (!_options.Status.Enabled)
        {
            return;
        }

        var updateText = System.Environment.GetEnvironmentVariable(_options.Status.UrlEnv);
        if (string.IsNullOrEmpty(updateText))
        {
            LogNoCounters(_logger, _options.Status.UrlEnv);
            return;
        }

        var key = $"{context.Run.TaskName} status";
        var headers = new Dictionary<string, string>();
        if (System.Environment.GetEnvironmentVariable(_options.Status.AuthorizationEnv) is { Length: > 0 } token)
        {
            headers["Authorization"] = token;
        }

        var update = new Uri(updateText);
        var countersQuery = new JsonObject
        {
            ["_id"] = System.Environment.GetEnvironmentVariable(_options.Status.JobIdEnv),
            ["experiment"] = experiment,
            ["run_num"] = run,
            ["user"] = System.Environment.GetEnvironmentVariable(_options.Status.UserEnv),
        };
        var counters = new List<KeyValuePair<string, string>>();
        try
        {
            var current = await PostJsonAsync(new Uri(_base, $"{Escape(experiment)}/get_counters"), countersQuery, headers, taskEvent, context, cancellationToken).ConfigureAwait(false);
            counters.AddRange(Counters(current));
        }
        catch (DeliveryException)
        {
            var body = CountersBody([new(key, status)]).ToJsonString();
            HttpDelivery.RecordNotSent(
                new DeliveryRequest { Url = update, RecordedBody = body, RecordedContentType = "application/json", Event = taskEvent.Name },
                context,
                "not sent: the current counters could not be read, and posting without them would replace them");
            throw;
        }

        var index = counters.FindIndex(c => c.Key == key);
        if (index >= 0)
        {
            counters[index] = new(key, status);
        }
        else
        {
            counters.Add(new(key, status));
        }

        await PostJsonAsync(update, CountersBody(counters), headers, taskEvent, context, cancellationToken).ConfigureAwait(false);
    }

    private Task PostRunParametersAsync(IReadOnlyDictionary<string, string> summary, string experiment, string run, TaskEvent taskEvent, HookContext context, CancellationToken cancellationToken)
    {
        var parameters = new JsonObject();
        foreach (var (key, value) in summary.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            parameters[key] = value;
        }

        var url = new Uri(_base, $"run_control/{Escape(experiment)}/ws/add_run_params?run_num={Uri.EscapeDataString(run)}");
        return PostJsonAsync(url, parameters, AuthHeaders(), taskEvent, context, cancellationToken);
    }

    private async Task PostReportAsync(RunResult result, string report, string experiment, TaskEvent taskEvent, HookContext context, CancellationToken cancellationToken)
    {
        var url = new Uri(_base, $"{Escape(experiment)}/ws/new_elog_entry");
        var text = $"{result.Run.TaskName} (run {result.Run.RunId}) ended {EventJson.Status(result.Status)}{(result.Reason is null ? string.Empty : $": {result.Reason}")}";
        var title = $"{result.Run.TaskName} report";
        var tags = string.Join(' ', _options.ReportTags);
        var recorded = new JsonObject
        {
            ["log_text"] = text,
            ["log_title"] = title,
            ["log_tags"] = tags,
            ["files"] = new JsonArray(report),
        }.ToJsonString();
        byte[] file;
        try
        {
            file = await File.ReadAllBytesAsync(report, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var request = new DeliveryRequest { Url = url, RecordedBody = recorded, RecordedContentType = "multipart/form-data", Event = taskEvent.Name };
            HttpDelivery.RecordNotSent(request, context, $"the report cannot be read: {e.Message}");
            throw new DeliveryException($"POST {url} not sent: the report {report} cannot be read: {e.Message}", e);
        }

        var form = new MultipartFormDataContent
        {
            { new StringContent(text, Encoding.UTF8), "log_text" },
            { new StringContent(title, Encoding.UTF8), "log_title" },
        };
        if (tags.Length > 0)
        {
            form.Add(new StringContent(tags, Encoding.UTF8), "log_tags");
        }

        var attachment = new ByteArrayContent(file);
        attachment.Headers.ContentType = new MediaTypeHeaderValue("text/html");
        form.Add(attachment, "files", Path.GetFileName(report));
        await SendAsync(
            new DeliveryRequest
            {
                Url = url,
                Content = form,
                RecordedBody = recorded,
                RecordedContentType = "multipart/form-data",
                Headers = AuthHeaders(),
                Event = taskEvent.Name,
            },
            context,
            cancellationToken).ConfigureAwait(false);
    }

    private Task<JsonElement> PostJsonAsync(Uri url, JsonNode body, IReadOnlyDictionary<string, string> headers, TaskEvent taskEvent, HookContext context, CancellationToken cancellationToken)
    {
        var text = body.ToJsonString();
        var content = new StringContent(text, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return SendAsync(
            new DeliveryRequest { Url = url, Content = content, RecordedBody = text, RecordedContentType = "application/json", Headers = headers, Event = taskEvent.Name },
            context,
            cancellationToken);
    }

    /// <summary>Sends a request and checks the eLog's answer: <c>{"success": true, "value": ...}</c>; returns the value.</summary>
    private async Task<JsonElement> SendAsync(DeliveryRequest request, HookContext context, CancellationToken cancellationToken)
    {
        var response = await _http.SendAsync(request, context, cancellationToken).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(response.Body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("success", out var success) || success.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                throw HttpDelivery.Refused(request, context, "the answer has no 'success' field", response.Attempts);
            }

            if (success.ValueKind == JsonValueKind.False)
            {
                var message = root.TryGetProperty("error_msg", out var error) ? error.ToString() : "no error_msg given";
                throw HttpDelivery.Refused(request, context, $"the eLog answered success: false: {message}", response.Attempts);
            }

            return root.TryGetProperty("value", out var value) ? value.Clone() : default;
        }
        catch (JsonException)
        {
            throw HttpDelivery.Refused(request, context, "the answer is not JSON", response.Attempts);
        }
    }

    private Dictionary<string, string> AuthHeaders() =>
        _authorization is null ? [] : new Dictionary<string, string> { ["Authorization"] = _authorization };

    /// <summary>The counters in a get_counters answer: a list of <c>{"key", "value"}</c> or a map.</summary>
    private static IEnumerable<KeyValuePair<string, string>> Counters(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => value.EnumerateArray()
            .Where(item => item.ValueKind == JsonValueKind.Object && item.TryGetProperty("key", out _))
            .Select(item => new KeyValuePair<string, string>(item.GetProperty("key").ToString(), item.TryGetProperty("value", out var v) ? v.ToString() : string.Empty)),
        JsonValueKind.Object => value.EnumerateObject().Select(p => new KeyValuePair<string, string>(p.Name, p.Value.ToString())),
        _ => [],
    };

    private static JsonArray CountersBody(IEnumerable<KeyValuePair<string, string>> counters) =>
        [.. counters.Select(c => (JsonNode)new JsonObject { ["key"] = c.Key, ["value"] = c.Value })];

    private (string Experiment, string Run) Where(RunInfo run)
    {
        var experiment = _options.Experiment ?? run.Experiment ?? System.Environment.GetEnvironmentVariable("EXPERIMENT");
        var number = _options.Run ?? run.ExperimentRun ?? System.Environment.GetEnvironmentVariable("RUN_NUM");
        if (string.IsNullOrEmpty(experiment) || string.IsNullOrEmpty(number))
        {
            throw new DeliveryException(
                "lcls.elog needs the experiment and its run: set header.experiment and header.run in the task file, the 'experiment' and 'run' settings, or $EXPERIMENT and $RUN_NUM");
        }

        return (experiment, number);
    }

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    public void Dispose() => _http.Dispose();

    [LoggerMessage(EventId = 1200, Level = LogLevel.Debug, Message = "{Variable} is not set (not running under the ARP): no status counters are posted")]
    private static partial void LogNoCounters(ILogger logger, string variable);
}
