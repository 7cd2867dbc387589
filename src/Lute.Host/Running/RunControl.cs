using Lute.Contracts;
using Microsoft.Extensions.Logging;

namespace Lute.Host.Running;

/// <summary>The runner's controls of one run, given to hooks and to the command line (through <see cref="RunControlRelay"/>).</summary>
internal sealed partial class RunControl(RunState state, RunEventBus bus, ILogger logger) : IRunControl
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly CancellationTokenSource _force = new();
    private IExecution? _execution;
    private string? _cancelReason;
    private int _stoppedByLute;

    /// <summary>Fires when the run is to be cancelled.</summary>
    public CancellationToken Cancelled => _cancel.Token;

    public string? CancelReason => Volatile.Read(ref _cancelReason);

    /// <summary>Fires when the run is to be ended at once, without waiting for the grace period.</summary>
    public CancellationToken Forced => _force.Token;

    public void Attach(IExecution execution) => Volatile.Write(ref _execution, execution);

    public ValueTask StopAsync(string reason, CancellationToken cancellationToken = default) =>
        SignalAsync(TaskSignal.Stop, RunStatus.Stopped, reason, cancellationToken);

    public ValueTask ContinueAsync(string reason, CancellationToken cancellationToken = default) =>
        SignalAsync(TaskSignal.Continue, RunStatus.Running, reason, cancellationToken);

    /// <summary>
    /// The task was seen stopped (or running again) without lute asking: said once, and passed to hooks as a status
    /// event, so that someone can continue or cancel it (the time limit still runs).
    /// </summary>
    public void Observed(bool stopped)
    {
        if (Interlocked.Exchange(ref _stoppedByLute, stopped ? 1 : 0) == (stopped ? 1 : 0))
        {
            return; // lute's own stop or continue
        }

        var reason = stopped
            ? "stopped by a signal lute did not send (SIGSTOP?); 'lute continue' resumes it, 'lute stop' does nothing more, a cancel or the time limit ends it"
            : "continued by a signal lute did not send";
        LogSignalled(logger, stopped ? "stopped" : "continued", reason);
        _ = bus.PublishAsync(new TaskStatusEvent(DateTimeOffset.UtcNow, stopped ? RunStatus.Stopped : RunStatus.Running, reason), CancellationToken.None).AsTask();
    }

    /// <summary>The runner itself is about to continue the task (to let it act on a cancel): not news for hooks.</summary>
    public void ContinuingToEnd() => Volatile.Write(ref _stoppedByLute, 0);

    private async ValueTask SignalAsync(TaskSignal signal, RunStatus status, string reason, CancellationToken cancellationToken)
    {
        var action = status == RunStatus.Stopped ? "stop" : "continue";
        var execution = Volatile.Read(ref _execution);
        if (execution is null)
        {
            LogNotRunning(logger, action, reason);
            return;
        }

        Volatile.Write(ref _stoppedByLute, status == RunStatus.Stopped ? 1 : 0);
        if (status == RunStatus.Stopped)
        {
            await execution.SignalAsync(signal, cancellationToken).ConfigureAwait(false);
        }

        // Said before a continued task runs again: it may end at once, and "continued" must come before its end.
        LogSignalled(logger, status == RunStatus.Stopped ? "stopped" : "continued", reason);
        await bus.PublishAsync(new TaskStatusEvent(DateTimeOffset.UtcNow, status, reason), cancellationToken).ConfigureAwait(false);
        if (status != RunStatus.Stopped)
        {
            await execution.SignalAsync(signal, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Cancel(string reason)
    {
        if (Interlocked.CompareExchange(ref _cancelReason, reason, null) is null)
        {
            LogCancelling(logger, reason);
            _cancel.Cancel();
        }
    }

    /// <summary>Cancels the run and skips the grace period: SIGKILL as soon as the graceful signal is sent.</summary>
    public void Force(string reason)
    {
        Cancel(reason);
        if (!_force.IsCancellationRequested)
        {
            LogForcing(logger, reason);
            _force.Cancel();
        }
    }

    public void AddSummary(string key, string value) => state.AddSummary(key, value);

    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Cannot {Action} the task ({Reason}): it is not running")]
    private static partial void LogNotRunning(ILogger logger, string action, string reason);

    [LoggerMessage(EventId = 401, Level = LogLevel.Information, Message = "Task {Action}: {Reason}")]
    private static partial void LogSignalled(ILogger logger, string action, string reason);

    [LoggerMessage(EventId = 404, Level = LogLevel.Warning, Message = "Ending the task now, without the grace period: {Reason}")]
    private static partial void LogForcing(ILogger logger, string reason);

    [LoggerMessage(EventId = 403, Level = LogLevel.Warning, Message = "Cancelling the run: {Reason}")]
    private static partial void LogCancelling(ILogger logger, string reason);
}
