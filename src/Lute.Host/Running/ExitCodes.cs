using Lute.Contracts;

namespace Lute.Host.Running;

/// <summary>The exit codes of <c>lute</c>, documented in the README.</summary>
public static class ExitCodes
{
    /// <summary>The run completed.</summary>
    public const int Completed = 0;

    /// <summary>The task failed (non-zero exit, killed by a signal, reported failure, critical hook or tasklet failure).</summary>
    public const int Failed = 1;

    /// <summary>Bad input: command line, YAML, unknown names, missing plugins. Nothing was launched.</summary>
    public const int BadInput = 2;

    /// <summary>The engine could not launch the task (program missing, engine refused).</summary>
    public const int LaunchFailed = 3;

    /// <summary>The task exceeded its time limit.</summary>
    public const int TimedOut = 4;

    /// <summary>The run was cancelled.</summary>
    public const int Cancelled = 5;

    /// <summary>An error of lute itself or of its result store.</summary>
    public const int Internal = 70;

    /// <summary>The exit code for a result.</summary>
    /// <param name="result">The result.</param>
    public static int For(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Status switch
        {
            RunStatus.Completed => Completed,
            RunStatus.TimedOut => TimedOut,
            RunStatus.Cancelled => Cancelled,
            _ when result.LaunchFailed => LaunchFailed,
            _ => Failed,
        };
    }
}
