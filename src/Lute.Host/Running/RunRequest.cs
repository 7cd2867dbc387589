using Lute.Contracts;
using Lute.Host.Configuration;

namespace Lute.Host.Running;

/// <summary>What to run.</summary>
/// <param name="File">The task file.</param>
/// <param name="TaskName">The task in it.</param>
public sealed record RunRequest(TaskFile File, string TaskName)
{
    /// <summary>Lets the caller cancel, stop and continue the run (signal handlers of <c>lute run</c>).</summary>
    public RunControlRelay? Controls { get; init; }

    /// <summary>Sees each of the run's events (the live status line, the run's metrics).</summary>
    internal IRunObserver? Observer { get; init; }
}

/// <summary>How a run ended and where it was recorded.</summary>
/// <param name="Result">The result.</param>
/// <param name="StorePath">The result store.</param>
/// <param name="LogPath">The run's log file.</param>
/// <param name="Recorded">False when the result could not be written to the store.</param>
public sealed record RunOutcome(RunResult Result, string StorePath, string LogPath, bool Recorded)
{
    /// <summary>Why the run has no log file, when it has none.</summary>
    public string? LogProblem { get; init; }

    /// <summary>Why the result is not recorded, when it is not.</summary>
    public string? StoreProblem { get; init; }

    /// <summary>The exit code of <c>lute run</c>.</summary>
    public int ExitCode => ExitCodes.For(Result);
}
