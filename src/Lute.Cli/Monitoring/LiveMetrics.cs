using System.Net;
using System.Runtime.CompilerServices;
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
