using Lute.Contracts;
using Lute.Host.Store;

namespace Lute.Tests.Support;

/// <summary>Runs written straight into a workspace's store, as runners would have recorded them.</summary>
internal static class StoreSeed
{
    public static readonly DateTimeOffset Start = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);

    public static NewRun Run(string task, int minute, string host = "node-1", string? experiment = "mfx", int runnerPid = 4321) => new()
    {
        Task = task,
        Executor = "local",
        Experiment = experiment,
        ExperimentRun = "0007",
        StartedAt = Start.AddMinutes(minute),
        Host = host,
        RunnerPid = runnerPid,
        Command = ["python3", "task.py"],
        Parameters = new Dictionary<string, string> { ["n"] = "1" },
        Environment = new Dictionary<string, string?>(),
    };

    public static FinishedRun Ended(RunStatus status, DateTimeOffset started, double seconds, string? reason = null) => new()
    {
        Status = status,
        ExitCode = status == RunStatus.Completed ? 0 : 1,
        Reason = reason,
        EndedAt = started.AddSeconds(seconds),
    };

    /// <summary>Records <paramref name="count"/> finished runs; run i (from 0) is given by <paramref name="make"/>.</summary>
    public static async Task<IReadOnlyList<long>> AddAsync(
        string storePath, int count, Func<int, (NewRun Run, RunStatus Status, double Seconds)> make)
    {
        await using var store = await SqliteRunRecorder.OpenAsync(storePath);
        var ids = new List<long>();
        for (var i = 0; i < count; i++)
        {
            var (run, status, seconds) = make(i);
            var id = await store.StartedAsync(run, CancellationToken.None);
            await store.FinishedAsync(id, Ended(status, run.StartedAt, seconds), CancellationToken.None);
            ids.Add(id);
        }

        return ids;
    }
}
