using Lute.Contracts;

namespace Lute.Host.Store;

/// <summary>
/// Where runs are recorded and read back: one record per run, written when the run starts, when its task is
/// launched, when it is stopped or continued, and when it ends, so that a run whose runner died is still visible.
/// Implementations alone own how a run is stored (columns, JSON); callers give and get typed records.
/// </summary>
public interface IRunRecorder : IAsyncDisposable
{
    /// <summary>Where the runs are kept, in words for messages (the SQLite file, a server's address).</summary>
    string Location { get; }

    /// <summary>Records a new run as <see cref="RunStatus.Pending"/> and returns its id.</summary>
    /// <param name="run">What is known before launch.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="StoreException">The run cannot be recorded.</exception>
    Task<long> StartedAsync(NewRun run, CancellationToken cancellationToken);

    /// <summary>Records that the run's task was launched (<see cref="RunStatus.Running"/>).</summary>
    /// <param name="id">The run.</param>
    /// <param name="launch">What became known at launch.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="StoreException">The launch cannot be recorded.</exception>
    Task LaunchedAsync(long id, LaunchedRun launch, CancellationToken cancellationToken);

    /// <summary>
    /// Records that a running task was stopped (<see cref="RunStatus.Stopped"/>) or runs again
    /// (<see cref="RunStatus.Running"/>); never over an outcome already recorded.
    /// </summary>
    /// <param name="id">The run.</param>
    /// <param name="status">Stopped or Running.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="ArgumentOutOfRangeException">Any other status.</exception>
    /// <exception cref="StoreException">The change cannot be recorded.</exception>
    Task StatusChangedAsync(long id, RunStatus status, CancellationToken cancellationToken);

    /// <summary>Records the run's outcome.</summary>
    /// <param name="id">The run.</param>
    /// <param name="outcome">The outcome.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="StoreException">The outcome cannot be recorded.</exception>
    Task FinishedAsync(long id, FinishedRun outcome, CancellationToken cancellationToken);

    /// <summary>One run, or null.</summary>
    /// <param name="id">The run's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<RunRecord?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>The latest runs, newest first.</summary>
    /// <param name="limit">How many at most.</param>
    /// <param name="task">Only this task's runs (its base name or its name as given), if given.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<RunRecord>> HistoryAsync(int limit, string? task, CancellationToken cancellationToken);

    /// <summary>The runs that ran in a SLURM job, or as one of its steps, newest first.</summary>
    /// <param name="job">The SLURM job id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<RunRecord>> ForSlurmJobAsync(string job, CancellationToken cancellationToken);

    /// <summary>
    /// Marks as <see cref="RunStatus.Abandoned"/> the unfinished runs of <paramref name="host"/> whose runner is gone;
    /// a run's recorded end is its runner's last sign of life, never later than <paramref name="now"/>.
    /// </summary>
    /// <param name="host">The host whose runs can be checked.</param>
    /// <param name="runnerAlive">Whether the runner with this process id, recorded as starting the run at this time, still runs.</param>
    /// <param name="now">The time of the repair.</param>
    /// <param name="cancellationToken">Cancels the repair.</param>
    /// <returns>The runs marked, oldest first.</returns>
    Task<IReadOnlyList<RunRecord>> MarkAbandonedAsync(
        string host, Func<int, DateTimeOffset, bool> runnerAlive, DateTimeOffset now, CancellationToken cancellationToken);
}
