using Lute.Contracts;

namespace Lute.Host.Running;

/// <summary>
/// Watches a run's events as the run's one consumer handles them (the live status line of <c>lute run</c>, the
/// run's metrics). Called in order, on the consumer, before the hooks: it must return at once and never throw.
/// </summary>
internal interface IRunObserver
{
    /// <summary>Sees one event of the run.</summary>
    void Observe(TaskEvent taskEvent);
}
