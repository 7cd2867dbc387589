using System.Runtime.CompilerServices;
using Lute.Host.Running;
using Serilog.Core;

namespace Lute.Cli.Live;

/// <summary>The live status of a run on a terminal: it sees the run's events and writes the console's lines.</summary>
internal interface ILiveStatus : IRunObserver, ILogEventSink, IAsyncDisposable;

/// <summary>
/// Starts the live status line when it is wanted. This class names no Spectre.Console type, so a run without a
/// terminal (or with <c>--quiet</c>) never loads that library.
/// </summary>
internal static class LiveStatus
{
    /// <summary>The status line, or null when it is not wanted (standard output or error not a terminal, quiet, JSON).</summary>
    public static ILiveStatus? StartIfWanted(bool quiet, string outputTemplate) =>
        quiet || Console.IsOutputRedirected || Console.IsErrorRedirected
        || string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal)
            ? null
            : Start(outputTemplate);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ILiveStatus Start(string outputTemplate) => new StatusLine(outputTemplate);
}
