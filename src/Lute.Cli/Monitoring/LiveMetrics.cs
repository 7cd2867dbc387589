using System.Net;
using System.Runtime.CompilerServices;
using Lute.Contracts;
using Lute.Host.Configuration;
using Lute.Host.Running;

namespace Lute.Cli.Monitoring;

/// <summary>What serves a live run's metrics: it sees the run's events and stops serving when disposed.</summary>
internal interface ILiveMetrics : IRunObserver, IDisposable;

/// <summary>
/// <c>lute run --metrics ADDRESS:PORT</c>: Prometheus <c>/metrics</c> while the run lives. This class names no
/// prometheus-net type, so a run without the option never loads that library.
/// </summary>
internal static class LiveMetrics
{
    /// <summary>The address to serve on, from the option's text.</summary>
    /// <exception cref="InputException">Not an address and port.</exception>
    public static IPEndPoint Parse(string text) =>
        IPEndPoint.TryParse(text, out var endpoint) && endpoint.Port > 0 && text.Contains(':', StringComparison.Ordinal)
            ? endpoint
            : throw new InputException($"--metrics takes ADDRESS:PORT (127.0.0.1:9464), not '{text}'");

    /// <summary>Starts serving; the caller disposes it when the run has ended.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ILiveMetrics Start(IPEndPoint endpoint) => new PrometheusRunMetrics(endpoint);
}

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
