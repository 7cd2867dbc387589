namespace Lute.Contracts;

/// <summary>
/// Reacts to a run's events. Hooks are called in the order plugins.yaml lists them, each with its own time limit;
/// a hook that throws or exceeds its limit is reported and the run goes on.
/// </summary>
public interface IHook
{
    /// <summary>Handles one event.</summary>
    /// <param name="taskEvent">The event.</param>
    /// <param name="context">The run, the hook's settings and the run's controls.</param>
    /// <param name="cancellationToken">Fires when the hook's time limit is reached or the run is torn down.</param>
    ValueTask OnEventAsync(TaskEvent taskEvent, HookContext context, CancellationToken cancellationToken = default);
}
