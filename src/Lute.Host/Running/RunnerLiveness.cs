using System.Diagnostics;

namespace Lute.Host.Running;

/// <summary>Whether the runner that recorded a run still runs on this host.</summary>
public static class RunnerLiveness
{
    /// <summary>
    /// The clock of process start times (boot time plus ticks, whole seconds) and of the run's record differ a little;
    /// a process that started later than this after the run was recorded cannot be its runner.
    /// </summary>
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(2);

    /// <summary>
    /// True when process <paramref name="processId"/> exists and started before the run was recorded at
    /// <paramref name="runStarted"/>: a process id reused by a later process is not the runner.
    /// </summary>
    public static bool IsAlive(int processId, DateTimeOffset runStarted)
    {
        if (processId == System.Environment.ProcessId)
        {
            return true;
        }

        if (processId <= 0)
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited && process.StartTime.ToUniversalTime() <= runStarted.UtcDateTime + Tolerance;
        }
        catch (ArgumentException)
        {
            return false; // no such process
        }
        catch (InvalidOperationException)
        {
            return false; // exited meanwhile
        }
    }
}
