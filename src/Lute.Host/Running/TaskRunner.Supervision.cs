using Lute.Contracts;
using Lute.Host.Diagnostics;
using Lute.Host.Store;
using Microsoft.Extensions.Logging;

namespace Lute.Host.Running;

/// <summary>Supervision of a launched task: its time limit, cancellation, leftovers, and the drain of its output.</summary>
public sealed partial class TaskRunner
{
    /// <summary>Waits for the task's end (its exit, the time limit or a cancellation), then ends whatever it left behind.</summary>
    private async Task<(ProcessExit Exit, EndCause Cause)> SuperviseAsync(LiveRun live, IExecution execution)
    {
        using var stops = new TaskStopWatcher(execution.ProcessId, live.Control.Observed);
        var ended = await WatchAsync(execution, live.Prepared, live.Control, live.Logger).ConfigureAwait(false);
        StartupTrace.Mark("task exited");
        // Children that outlived the task end with it.
        await SignalQuietlyAsync(execution, TaskSignal.Kill, live.Logger).ConfigureAwait(false);
        return ended;
    }

    private static async Task<(ProcessExit Exit, EndCause Cause)> WatchAsync(IExecution execution, PreparedRun prepared, RunControl control, ILogger logger)
    {
        var exit = execution.WaitForExitAsync(CancellationToken.None);
        using var timeout = new CancellationTokenSource();
        if (prepared.Timeout is { } limit)
        {
            timeout.CancelAfter(limit);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, control.Cancelled);
        try
        {
            return (await exit.WaitAsync(stop.Token).ConfigureAwait(false), EndCause.Exited);
        }
        catch (OperationCanceledException)
        {
        }

        var cause = timeout.IsCancellationRequested && !control.Cancelled.IsCancellationRequested ? EndCause.TimedOut : EndCause.Cancelled;
        if (cause == EndCause.TimedOut)
        {
            LogTimedOut(logger, prepared.Timeout!.Value.TotalSeconds, prepared.Task.CancelSignal, prepared.GracePeriod.TotalSeconds);
        }

        await SignalQuietlyAsync(execution, prepared.Task.CancelSignal, logger).ConfigureAwait(false);
        // A stopped task cannot act on the graceful signal until it runs again.
        control.ContinuingToEnd();
        await SignalQuietlyAsync(execution, TaskSignal.Continue, logger).ConfigureAwait(false);
        if (await Task.WhenAny(exit, Task.Delay(prepared.GracePeriod, control.Forced)).ConfigureAwait(false) != exit)
        {
            LogForceful(logger, prepared.GracePeriod.TotalSeconds);
            await SignalQuietlyAsync(execution, TaskSignal.Kill, logger).ConfigureAwait(false);
        }

        return (await exit.ConfigureAwait(false), cause);
    }

    /// <summary>
    /// Waits (bounded) for the communicators to publish what the task sent, then says the process exited, and empties
    /// the channel: hooks see every line and message of the task before its exit, and everything before the outcome.
    /// </summary>
    private async Task DrainAsync(LiveRun live, IReadOnlyList<ICommunicatorSession> sessions, ProcessExit? exit)
    {
        using (var limit = new CancellationTokenSource(_config.DrainTimeout))
        {
            try
            {
                await Task.WhenAll(sessions.Select(s => s.DrainAsync(limit.Token))).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                LogDrainTimeout(live.Logger, _config.DrainTimeout.TotalSeconds);
            }
        }

        StartupTrace.Mark("communicators drained");
        if (exit is not null)
        {
            await live.Bus.PublishAsync(new ProcessExitedEvent(DateTimeOffset.UtcNow, exit), CancellationToken.None).ConfigureAwait(false);
        }

        await live.EndChannelAsync().ConfigureAwait(false);
    }

    /// <summary>Records the launch; the task runs on when the store fails (the outcome is still reported, and written if it recovers).</summary>
    private static async Task RecordLaunchAsync(
        LiveRun live, IExecution execution, IReadOnlyDictionary<string, string> details, IReadOnlyList<ICommunicatorSession> sessions, LaunchEnvironment environment)
    {
        if (live.Recorder is not { } recorder)
        {
            return;
        }

        try
        {
            await recorder.LaunchedAsync(live.Run.RunId, RunRecords.Launched(live.Prepared, execution, details, sessions, environment, live.Log.Path), CancellationToken.None).ConfigureAwait(false);
        }
        catch (StoreException e)
        {
            LogStoreFailed(live.Logger, e.Message);
        }
    }

    private static async Task SignalQuietlyAsync(IExecution execution, TaskSignal signal, ILogger logger)
    {
        try
        {
            await execution.SignalAsync(signal, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or LuteException)
        {
            LogSignalFailed(logger, signal, e.Message);
        }
    }
}
