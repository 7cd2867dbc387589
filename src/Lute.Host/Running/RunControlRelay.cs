using Lute.Contracts;

namespace Lute.Host.Running;

/// <summary>
/// Lets the command line (signal handlers) control a run that may not have started yet: a cancel that arrives
/// before the run is ready is applied as soon as it is. A second cancel ends the task at once (SIGKILL without
/// waiting for the grace period), as a second Ctrl-C does.
/// </summary>
public sealed class RunControlRelay
{
    private readonly Lock _gate = new();
    private RunControl? _control;
    private string? _pendingCancel;
    private int _cancels;

    /// <summary>Cancels the run (now, or as soon as it has started); a second call skips the grace period.</summary>
    /// <param name="reason">Why, recorded with the result.</param>
    public void Cancel(string reason)
    {
        RunControl? control;
        int cancels;
        lock (_gate)
        {
            control = _control;
            _pendingCancel ??= reason;
            cancels = ++_cancels;
        }

        if (cancels > 1)
        {
            control?.Force(reason);
        }
        else
        {
            control?.Cancel(reason);
        }
    }

    /// <summary>True once a cancel was asked for.</summary>
    public bool CancelRequested
    {
        get
        {
            lock (_gate)
            {
                return _pendingCancel is not null;
            }
        }
    }

    /// <summary>Stops the task, if it is running.</summary>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public ValueTask StopAsync(string reason, CancellationToken cancellationToken = default) =>
        Current()?.StopAsync(reason, cancellationToken) ?? ValueTask.CompletedTask;

    /// <summary>Continues the task, if it is stopped.</summary>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public ValueTask ContinueAsync(string reason, CancellationToken cancellationToken = default) =>
        Current()?.ContinueAsync(reason, cancellationToken) ?? ValueTask.CompletedTask;

    internal void Attach(RunControl control)
    {
        string? pending;
        int cancels;
        lock (_gate)
        {
            _control = control;
            pending = _pendingCancel;
            cancels = _cancels;
        }

        if (pending is not null && cancels > 1)
        {
            control.Force(pending);
        }
        else if (pending is not null)
        {
            control.Cancel(pending);
        }
    }

    private RunControl? Current()
    {
        lock (_gate)
        {
            return _control;
        }
    }
}
