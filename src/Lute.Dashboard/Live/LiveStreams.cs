using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Lute.Dashboard.Pages;
using Lute.Host.Running;
using Lute.Host.Store;
using Microsoft.AspNetCore.Http;

namespace Lute.Dashboard.Live;

/// <summary>
/// The live streams (server-sent events): the page opens one and the server writes when the store or the log changes
/// (<see cref="FileChanges"/>), so nothing on either side runs on a timer. A stream that breaks is reopened by the
/// browser with the same URL; the rows it sends again replace the ones on the page.
/// </summary>
internal static class LiveStreams
{
    /// <summary>
    /// <c>/events/runs?FILTER&amp;after=ID&amp;watch=ID,ID</c>: the runs newer than <c>after</c> that match the filter, and
    /// each change of the watched runs (those of the page that had not ended), as <c>run</c> events.
    /// </summary>
    public static async IAsyncEnumerable<SseItem<string>> ListAsync(
        HttpRequest request, DashboardContext context, FileChanges store, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var query = FilterQuery.Read(request.Query);
        var after = long.TryParse(request.Query["after"].FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var a) ? a : 0;
        var sent = new Dictionary<long, (Lute.Contracts.RunStatus, DateTimeOffset?)>();
        foreach (var text in (request.Query["watch"].FirstOrDefault() ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries).Take(500))
        {
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                sent[id] = default;
            }
        }

        var seen = store.Version;
        // Sent at once, so the browser's stream is open (headers and all) before anything changes.
        yield return new SseItem<string>("{}", "ready");
        while (!cancellationToken.IsCancellationRequested)
        {
            var watched = sent.Where(s => s.Value.Item2 is null).Select(s => s.Key).ToList();
            var runs = await context.Browser.NewerOrAsync(query.Filter, after, watched, cancellationToken).ConfigureAwait(false);
            foreach (var run in runs.OrderBy(r => r.Id))
            {
                after = Math.Max(after, run.Id);
                var shape = RunRow.Shape(run);
                if (sent.TryGetValue(run.Id, out var last) && last == shape)
                {
                    continue;
                }

                sent[run.Id] = shape;
                yield return new SseItem<string>(RunRow.Json(run), "run");
            }

            seen = await store.WaitAsync(seen, cancellationToken).ConfigureAwait(false);
            await context.Browser.SettleAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// <c>/events/runs/ID?offset=N</c>: the run's log lines written after byte <c>N</c> (<c>line</c> events), its status
    /// when it changes (<c>status</c>), and <c>end</c> once it has ended and its last lines are sent.
    /// </summary>
    public static async IAsyncEnumerable<SseItem<string>> RunAsync(
        long id, HttpRequest request, DashboardContext context, FileChanges store, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var offset = long.TryParse(request.Query["offset"].FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var o) ? o : 0;
        var run = await context.Runs.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            yield return new SseItem<string>("{}", "end");
            yield break;
        }

        yield return new SseItem<string>("{}", "ready");
        using var log = run.LogPath is { } path && Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(path))) ? FileChanges.Of(path) : null;
        var seenStore = store.Version;
        var seenLog = log?.Version ?? 0;
        (Lute.Contracts.RunStatus, DateTimeOffset?)? shown = null;
        var endLine = FormattableString.Invariant($"[runner] Run {id} ended ");
        var sawEnd = false;
        while (true)
        {
            var (lines, next) = LogTail.After(run.LogPath, offset);
            offset = next;
            foreach (var line in lines)
            {
                yield return new SseItem<string>(JsonSerializer.Serialize(line, LiveJson.Default.String), "line");
            }

            if (RunRow.Shape(run) != shown)
            {
                shown = RunRow.Shape(run);
                yield return new SseItem<string>(RunRow.Json(run), "status");
            }

            sawEnd |= lines.Any(line => line.Contains(endLine, StringComparison.Ordinal));
            // The runner records the end, then writes its last lines: the stream ends once they are sent (or the
            // runner is gone, so no more can come).
            if (run.EndedAt is not null && (sawEnd || run.LogPath is null || !RunnerLiveness.IsAlive(run.RunnerPid, run.StartedAt)))
            {
                (lines, _) = LogTail.After(run.LogPath, offset);
                foreach (var line in lines)
                {
                    yield return new SseItem<string>(JsonSerializer.Serialize(line, LiveJson.Default.String), "line");
                }

                yield return new SseItem<string>(RunRow.Json(run), "end");
                yield break;
            }

            var storeChanged = store.WaitAsync(seenStore, cancellationToken);
            var logChanged = log is null ? Task.Delay(Timeout.Infinite, cancellationToken) : log.WaitAsync(seenLog, cancellationToken);
            await Task.WhenAny(storeChanged, logChanged).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            seenStore = store.Version;
            seenLog = log?.Version ?? 0;
            await context.Browser.SettleAsync(cancellationToken).ConfigureAwait(false);
            run = await context.Runs.GetAsync(id, cancellationToken).ConfigureAwait(false) ?? run;
        }
    }
}
