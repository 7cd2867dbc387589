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

    /// <summary>A hook call ended (<paramref name="failed"/>: it threw or ran out of time).</summary>
    void HookCalled(string hook, string eventName, TimeSpan duration, bool failed)
    {
    }

    /// <summary>A hook could not deliver a post; it is recorded with the run.</summary>
    void Undelivered(string hook)
    {
    }
}
