using Lute.Contracts;

namespace Lute.Host.Store;

/// <summary>What every recorder says of a run whose runner died: when it was last known alive, and why it ended.</summary>
internal static class Abandonment
{
    /// <summary>The statuses of a run that has not ended (and whose runner may have died).</summary>
    public static bool IsUnfinished(RunRecord run) =>
        run.EndedAt is null && run.Status is RunStatus.Pending or RunStatus.Running or RunStatus.Stopped;

    /// <summary>The reason recorded for a run of <paramref name="host"/> marked <see cref="RunStatus.Abandoned"/>.</summary>
    /// <param name="run">The run as it was before it was marked.</param>
    /// <param name="host">The runner's host.</param>
    public static string Reason(RunRecord run, string host) =>
        $"the runner (process {run.RunnerPid} on {host}) ended without recording an outcome"
        + (run.Status == RunStatus.Pending ? " before the task was launched" : $"; the task was {run.Status.ToString().ToUpperInvariant()} then");

    /// <summary>
    /// When the runner of an unfinished run was last known alive: the later of its last write to the store and the
    /// last write to the run's log (the log is flushed at least every second while the task writes), bounded by the
    /// run's start and by <paramref name="now"/>.
    /// </summary>
    /// <param name="run">The unfinished run.</param>
    /// <param name="now">The time of the repair.</param>
    public static DateTimeOffset LastSignOfLife(RunRecord run, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(run);
        var seen = run.LastSeenAt ?? run.StartedAt;
        if (run.LogPath is { } log && File.Exists(log))
        {
            var written = new DateTimeOffset(File.GetLastWriteTimeUtc(log), TimeSpan.Zero);
            seen = written > seen ? written : seen;
        }

        return seen < run.StartedAt ? run.StartedAt : seen > now ? now : seen;
    }
}
