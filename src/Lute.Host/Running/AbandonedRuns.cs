using Lute.Host.Store;
using Microsoft.Extensions.Logging;

namespace Lute.Host.Running;

/// <summary>
/// The repair <c>lute run</c> does after recording its own result: runs of this host whose runner died without
/// recording an outcome are marked ABANDONED. A store failure here only logs.
/// </summary>
internal static partial class AbandonedRuns
{
    /// <summary>Marks the abandoned runs of this host and logs each.</summary>
    /// <param name="recorder">The store.</param>
    /// <param name="logger">Where each marked run is logged.</param>
    /// <param name="cancellationToken">Cancels the repair.</param>
    public static async Task RepairAsync(IRunRecorder recorder, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        try
        {
            var marked = await recorder.MarkAbandonedAsync(System.Environment.MachineName, RunnerLiveness.IsAlive, DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
            foreach (var run in marked)
            {
                LogAbandoned(logger, run.Id, run.Task, run.Reason ?? string.Empty);
            }
        }
        catch (StoreException e)
        {
            LogRepairFailed(logger, e.Message);
        }
    }

    [LoggerMessage(EventId = 614, Level = LogLevel.Warning, Message = "Run {RunId} ({Task}) marked ABANDONED: {Reason}")]
    private static partial void LogAbandoned(ILogger logger, long runId, string task, string reason);

    [LoggerMessage(EventId = 615, Level = LogLevel.Error, Message = "Abandoned runs could not be marked in the result store: {Error}")]
    private static partial void LogRepairFailed(ILogger logger, string error);
}
