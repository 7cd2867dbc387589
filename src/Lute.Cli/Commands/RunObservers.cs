using Lute.Contracts;
using Lute.Host.Running;

namespace Lute.Cli.Commands;

/// <summary>Several observers of one run, called in order.</summary>
internal sealed class RunObservers(IReadOnlyList<IRunObserver> observers) : IRunObserver
{
    /// <summary>The observers given that are not null: null when none is, the one itself when one is.</summary>
    public static IRunObserver? Of(params IRunObserver?[] observers)
    {
        var present = observers.OfType<IRunObserver>().ToList();
        return present.Count switch
        {
            0 => null,
            1 => present[0],
            _ => new RunObservers(present),
        };
    }

    public void Observe(TaskEvent taskEvent)
    {
        foreach (var observer in observers)
        {
            observer.Observe(taskEvent);
        }
    }

    public void HookCalled(string hook, string eventName, TimeSpan duration, bool failed)
    {
        foreach (var observer in observers)
        {
            observer.HookCalled(hook, eventName, duration, failed);
        }
    }

    public void Undelivered(string hook)
    {
        foreach (var observer in observers)
        {
            observer.Undelivered(hook);
        }
    }
}
