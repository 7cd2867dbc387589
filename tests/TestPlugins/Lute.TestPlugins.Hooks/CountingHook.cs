using System.Globalization;
using System.Text.Json;
using Lute.Contracts;

namespace Lute.TestPlugins.Hooks;

/// <summary>
/// Counts the events it receives and when they arrive, for benchmarks. A log line whose text starts with
/// <c>t=MICROSECONDS</c>, or a message whose contents have a <c>t</c> number, is stamped with the time it was sent
/// (CLOCK_REALTIME, microseconds since the Unix epoch): its latency is the time it arrives here minus that stamp.
/// When the run ends it writes one JSON object to the file named in its 'path' setting:
/// <c>{"count": N, "first_us": T, "last_us": T, "latencies_us": [...]}</c>.
/// </summary>
[LuteComponent("test.count", Description = "counts events and their arrival times (benchmarks)")]
internal sealed class CountingHook : IHook
{
    private readonly List<long> _latencies = [];
    private long _count;
    private long _first;
    private long _last;

    public async ValueTask OnEventAsync(TaskEvent taskEvent, HookContext context, CancellationToken cancellationToken = default)
    {
        var now = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;
        if (taskEvent is RunEndedEvent)
        {
            var path = context.Settings.Get("path") ?? throw new InvalidOperationException("test.count needs a 'path' setting");
            await WriteAsync(path, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (_count++ == 0)
        {
            _first = now;
        }

        _last = now;
        if (Stamp(taskEvent) is { } sent)
        {
            _latencies.Add(now - sent);
        }
    }

    private static long? Stamp(TaskEvent taskEvent)
    {
        switch (taskEvent)
        {
            case LogLineEvent { Text: var text } when text.StartsWith("t=", StringComparison.Ordinal):
                var end = text.IndexOf(' ', StringComparison.Ordinal);
                var digits = end < 0 ? text.AsSpan(2) : text.AsSpan(2, end - 2);
                return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var stamp) ? stamp : null;
            case TaskMessageEvent { Message.Contents: { ValueKind: JsonValueKind.Object } contents }
                when contents.TryGetProperty("t", out var t) && t.TryGetInt64(out var value):
                return value;
            default:
                return null;
        }
    }

    private async Task WriteAsync(string path, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 65536, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            var writer = new Utf8JsonWriter(stream);
            await using (writer.ConfigureAwait(false))
            {
                writer.WriteStartObject();
                writer.WriteNumber("count", _count);
                writer.WriteNumber("first_us", _first);
                writer.WriteNumber("last_us", _last);
                writer.WriteStartArray("latencies_us");
                foreach (var latency in _latencies)
                {
                    writer.WriteNumberValue(latency);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
