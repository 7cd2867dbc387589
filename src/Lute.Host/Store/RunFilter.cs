using Lute.Contracts;

namespace Lute.Host.Store;

/// <summary>
/// Which runs a listing shows: every given field must match (a task by its base name or its name as given); a
/// field left null matches every run.
/// </summary>
public sealed record RunFilter
{
    /// <summary>Every run.</summary>
    public static RunFilter None { get; } = new();

    /// <summary>The task's base name or its name as given.</summary>
    public string? Task { get; init; }

    /// <summary>The experiment.</summary>
    public string? Experiment { get; init; }

    /// <summary>The status.</summary>
    public RunStatus? Status { get; init; }

    /// <summary>The runner's host.</summary>
    public string? Host { get; init; }

    /// <summary>Started at or after this time.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Started before this time.</summary>
    public DateTimeOffset? To { get; init; }
}

/// <summary>One page of runs, newest first.</summary>
/// <param name="Runs">The runs of the page.</param>
/// <param name="Next">The id to pass as <c>before</c> for the next (older) page, or null on the last page.</param>
public sealed record RunPage(IReadOnlyList<RunRecord> Runs, long? Next);

/// <summary>How many runs of one task ended (or stand) in one status.</summary>
/// <param name="Task">The task's base name.</param>
/// <param name="Status">The status.</param>
/// <param name="Count">How many runs.</param>
public sealed record OutcomeCount(string Task, RunStatus Status, long Count);

/// <summary>How long one finished run took.</summary>
/// <param name="Id">The run.</param>
/// <param name="Task">The task's base name.</param>
/// <param name="Status">Its final status.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="Seconds">Its duration.</param>
public sealed record RunDuration(long Id, string Task, RunStatus Status, DateTimeOffset StartedAt, double Seconds);

/// <summary>What changed since a viewer last read: see <see cref="IRunBrowser.SinceAsync"/>.</summary>
/// <param name="Ended">The runs that have ended, oldest first.</param>
/// <param name="Unfinished">The runs that have not.</param>
/// <param name="Newest">The newest id read (or the one given, when none is newer).</param>
public sealed record RunsSince(IReadOnlyList<RunDuration> Ended, IReadOnlyList<long> Unfinished, long Newest);

/// <summary>
/// The reads a viewer of many runs needs (the dashboard, its metrics): filtered pages by keyset (an id, never an
/// offset, so a page costs the same however old it is), counts and the figures of the plots.
/// </summary>
public interface IRunBrowser
{
    /// <summary>Up to <paramref name="limit"/> runs matching <paramref name="filter"/> with an id below <paramref name="before"/>, newest first.</summary>
    /// <param name="filter">Which runs.</param>
    /// <param name="before">Only runs older than this id; null for the newest.</param>
    /// <param name="limit">The page's size.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<RunPage> PageAsync(RunFilter filter, long? before, int limit, CancellationToken cancellationToken);

    /// <summary>How many runs match <paramref name="filter"/>.</summary>
    /// <param name="filter">Which runs.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<long> CountAsync(RunFilter filter, CancellationToken cancellationToken);

    /// <summary>The runs with an id above <paramref name="after"/>, and those of <paramref name="ids"/>, matching <paramref name="filter"/>.</summary>
    /// <param name="filter">Which runs.</param>
    /// <param name="after">Runs newer than this id.</param>
    /// <param name="ids">Runs to read again whatever their id (those still running on a viewer's page).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<RunRecord>> NewerOrAsync(RunFilter filter, long after, IReadOnlyCollection<long> ids, CancellationToken cancellationToken);

    /// <summary>The number of runs per task and status, for the runs matching <paramref name="filter"/>.</summary>
    /// <param name="filter">Which runs.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<OutcomeCount>> OutcomesAsync(RunFilter filter, CancellationToken cancellationToken);

    /// <summary>The durations of the latest <paramref name="limit"/> finished runs matching <paramref name="filter"/>, oldest first.</summary>
    /// <param name="filter">Which runs.</param>
    /// <param name="limit">How many at most.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<RunDuration>> DurationsAsync(RunFilter filter, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// The runs with an id above <paramref name="after"/>, and those of <paramref name="ids"/>: the ended ones with
    /// their durations (oldest first), the ids of those not ended yet, and the newest id read.
    /// </summary>
    /// <param name="after">Runs newer than this id.</param>
    /// <param name="ids">Runs to read again whatever their id (those not ended when last read).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<RunsSince> SinceAsync(long after, IReadOnlyCollection<long> ids, CancellationToken cancellationToken);

    /// <summary>
    /// Returns once a write that was under way has committed and is visible to reads. A viewer woken by a change of
    /// the store's files calls it before reading: the file changes a moment before the write's commit is visible.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    Task SettleAsync(CancellationToken cancellationToken);

    /// <summary>The number of runs in each status.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyDictionary<RunStatus, long>> StatusCountsAsync(CancellationToken cancellationToken);
}
