using Lute.Contracts;

namespace Lute.Host.Running;

/// <summary>
/// Lets the command line (signal handlers) control a run that may not have started yet: a cancel that arrives
/// before the run is ready is applied as soon as it is.
/// </summary>
public sealed class RunControlRelay
{
    private readonly Lock _gate = new();
    private IRunControl? _control;
    private string? _pendingCancel;

    /// <summary>Cancels the run (now, or as soon as it has started).</summary>
    /// <param name="reason">Why, recorded with the result.</param>
    public void Cancel(string reason)
    {
        IRunControl? control;
        lock (_gate)
        {
            control = _control;
            _pendingCancel ??= reason;
        }

        control?.Cancel(reason);
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

    internal void Attach(IRunControl control)
    {
        string? pending;
        lock (_gate)
        {
            _control = control;
            pending = _pendingCancel;
        }

        if (pending is not null)
        {
            control.Cancel(pending);
        }
    }

    private IRunControl? Current()
    {
        lock (_gate)
        {
            return _control;
        }
    }
}
