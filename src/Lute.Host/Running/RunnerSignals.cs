using System.Globalization;
using System.Runtime.InteropServices;
using Lute.Contracts;
using Lute.Host.Store;

namespace Lute.Host.Running;

/// <summary>
/// Asks a run's runner to stop, continue or cancel its task, by SIGTSTP, SIGCONT or SIGTERM to the <c>lute run</c>
/// process, so the runner does it as it does for its own signals, records it and tells its hooks. Only a runner that is
/// still the process that started the run is signalled: a process id the system gave to another process since is
/// never touched. Used by <c>lute stop|continue|cancel</c> and by the dashboard's buttons.
/// </summary>
public static partial class RunnerSignals
{
    /// <summary>The signals that can be asked for, by the verb that asks.</summary>
    public static IReadOnlyDictionary<string, TaskSignal> Verbs { get; } = new Dictionary<string, TaskSignal>(StringComparer.Ordinal)
    {
        ["stop"] = TaskSignal.Stop,
        ["continue"] = TaskSignal.Continue,
        ["cancel"] = TaskSignal.Terminate,
    };

    /// <summary>Why the runner of <paramref name="run"/> cannot be asked to <paramref name="verb"/> its task, or null when it can.</summary>
    /// <param name="run">The run.</param>
    /// <param name="verb">stop, continue or cancel.</param>
    public static string? Refusal(RunRecord run, string verb)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.EndedAt is not null)
        {
            return $"run {Id(run)} has already ended ({run.Status})";
        }

        if (!string.Equals(run.Host, System.Environment.MachineName, StringComparison.Ordinal))
        {
            return $"run {Id(run)} runs on {run.Host}: with a SQLite store, 'lute {verb}' reaches a runner only from its own host; run it there, or use a PostgreSQL store, which reaches runners on any host";
        }

        if (run.RunnerPid <= 1 || run.RunnerPid == System.Environment.ProcessId)
        {
            return $"run {Id(run)} records runner process {run.RunnerPid.ToString(CultureInfo.InvariantCulture)}, which cannot be a runner";
        }

        return RunnerLiveness.IsAlive(run.RunnerPid, run.StartedAt)
            ? null
            : $"the runner of run {Id(run)} (process {run.RunnerPid.ToString(CultureInfo.InvariantCulture)}) is gone; 'lute history --repair' marks the run ABANDONED";
    }

    /// <summary>Signals the runner of <paramref name="run"/>; returns why it could not, or null when the signal was sent.</summary>
    /// <param name="run">The run.</param>
    /// <param name="verb">stop, continue or cancel.</param>
    /// <exception cref="ArgumentException">Another verb.</exception>
    public static string? Send(RunRecord run, string verb)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!Verbs.TryGetValue(verb, out var signal))
        {
            throw new ArgumentException($"'{verb}' is not one of stop, continue, cancel", nameof(verb));
        }

        if (Refusal(run, verb) is { } refusal)
        {
            return refusal;
        }

        var number = signal switch
        {
            TaskSignal.Stop => 20,
            TaskSignal.Continue => 18,
            _ => 15,
        };
        return Kill(run.RunnerPid, number) == 0
            ? null
            : $"the runner of run {Id(run)} (process {run.RunnerPid.ToString(CultureInfo.InvariantCulture)}) is gone: errno {Marshal.GetLastPInvokeError().ToString(CultureInfo.InvariantCulture)}";
    }

    private static string Id(RunRecord run) => run.Id.ToString(CultureInfo.InvariantCulture);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
