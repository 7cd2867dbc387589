using Lute.Contracts;

namespace Lute.Host.Store;

/// <summary>
/// Runs recorded in a dictionary, with the SQLite store's semantics (a run is Pending at start and Running at launch,
/// a status change never overwrites an outcome, runners found gone leave Abandoned runs with the same reasons), for
/// fast tests in one process. Thread-safe. Records are copied in and out as the SQLite store would give them back:
/// times in UTC, maps in the store's key order, an empty summary or metadata as empty.
/// </summary>
public sealed class InMemoryRunRecorder : IRunRecorder
{
    /// <summary>The operation name of <see cref="StartedAsync"/>, for the failure predicate.</summary>
    public const string StartedOperation = "started";

    /// <summary>The operation name of <see cref="LaunchedAsync"/>, for the failure predicate.</summary>
    public const string LaunchedOperation = "launched";

    /// <summary>The operation name of <see cref="StatusChangedAsync"/>, for the failure predicate.</summary>
    public const string StatusOperation = "status";

    /// <summary>The operation name of <see cref="FinishedAsync"/>, for the failure predicate.</summary>
    public const string FinishedOperation = "finished";

    /// <summary>The operation name of the reads (<see cref="GetAsync"/>, <see cref="HistoryAsync"/>, <see cref="ForSlurmJobAsync"/>).</summary>
    public const string ReadOperation = "read";

    /// <summary>The operation name of <see cref="MarkAbandonedAsync"/>, for the failure predicate.</summary>
    public const string AbandonedOperation = "abandoned";

    private readonly Lock _gate = new();
    private readonly Dictionary<long, RunRecord> _runs = [];
    private readonly Func<string, bool> _fails;
    private readonly TimeProvider _time;
    private long _lastId;

    /// <summary>An empty recorder.</summary>
    /// <param name="fails">
    /// Which operations fail with a <see cref="StoreException"/>, by name (<see cref="StartedOperation"/>,
    /// <see cref="LaunchedOperation"/>, <see cref="StatusOperation"/>, <see cref="FinishedOperation"/>,
    /// <see cref="ReadOperation"/>, <see cref="AbandonedOperation"/>); asked at each call, so a test can make a call
    /// fail once or from some point on. None fails when it is not given.
    /// </param>
    /// <param name="time">The clock of the runner's signs of life at launch and status changes (the system's if not given).</param>
    public InMemoryRunRecorder(Func<string, bool>? fails = null, TimeProvider? time = null)
    {
        _fails = fails ?? (_ => false);
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public string Location => "(in memory)";

    /// <inheritdoc />
    public Task<long> StartedAsync(NewRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        Check(StartedOperation, "record the run", cancellationToken);
        lock (_gate)
        {
            var id = ++_lastId;
            _runs[id] = new RunRecord
            {
                Id = id,
                Task = run.Task,
                TaskFullName = run.TaskFullName,
                Description = run.Description,
                TaskFile = run.TaskFile,
                Executor = run.Executor,
                Experiment = run.Experiment,
                ExperimentRun = run.ExperimentRun,
                Status = RunStatus.Pending,
                StartedAt = run.StartedAt.ToUniversalTime(),
                LastSeenAt = run.StartedAt.ToUniversalTime(),
                Host = run.Host,
                RunnerPid = run.RunnerPid,
                Command = [.. run.Command],
                Parameters = Sorted(run.Parameters),
                Environment = Sorted(run.Environment),
                WorkDirectory = run.WorkDirectory,
            };
            return Task.FromResult(id);
        }
    }

    /// <inheritdoc />
    public Task LaunchedAsync(long id, LaunchedRun launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        Check(LaunchedOperation, "record the launch", cancellationToken);
        var now = _time.GetUtcNow();
        Update(id, run => run with
        {
            Status = RunStatus.Running,
            TaskPid = launch.TaskPid,
            Details = new Dictionary<string, string>(launch.Details, StringComparer.Ordinal),
            Communicators = [.. launch.Communicators],
            LogPath = launch.LogPath,
            Environment = Sorted(launch.Environment),
            LastSeenAt = now,
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StatusChangedAsync(long id, RunStatus status, CancellationToken cancellationToken)
    {
        if (status is not (RunStatus.Stopped or RunStatus.Running))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "only a running task's status changes this way");
        }

        Check(StatusOperation, "record the task's status", cancellationToken);
        var now = _time.GetUtcNow();
        Update(id, run => run.EndedAt is null && run.Status is RunStatus.Running or RunStatus.Stopped
            ? run with { Status = status, LastSeenAt = now }
            : run);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task FinishedAsync(long id, FinishedRun outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        Check(FinishedOperation, "record the outcome", cancellationToken);
        var ended = outcome.EndedAt.ToUniversalTime();
        Update(id, run => run with
        {
            Status = outcome.Status,
            ExitCode = outcome.ExitCode,
            Signal = outcome.Signal,
            Reason = outcome.Reason,
            LaunchFailed = outcome.LaunchFailed,
            EndedAt = ended,
            Summary = Sorted(outcome.Summary),
            Payload = outcome.Payload?.Clone(),
            Metadata = Sorted(outcome.Metadata, value => value.Clone()),
            Details = outcome.Details.Count == 0 ? run.Details : Sorted(outcome.Details),
            LogPath = outcome.LogPath ?? run.LogPath,
            ReportPath = outcome.ReportPath,
            Undelivered = [.. outcome.Undelivered],
            HookErrors = [.. outcome.HookErrors],
            LastSeenAt = ended,
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<RunRecord?> GetAsync(long id, CancellationToken cancellationToken)
    {
        Check(ReadOperation, "read runs", cancellationToken);
        lock (_gate)
        {
            return Task.FromResult(_runs.GetValueOrDefault(id));
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RunRecord>> HistoryAsync(int limit, string? task, CancellationToken cancellationToken)
    {
        Check(ReadOperation, "read runs", cancellationToken);
        return Task.FromResult<IReadOnlyList<RunRecord>>(Newest(r => task is null || r.Task == task || r.TaskFullName == task, limit));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RunRecord>> ForSlurmJobAsync(string job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        Check(ReadOperation, "read runs", cancellationToken);
        return Task.FromResult<IReadOnlyList<RunRecord>>(Newest(
            r => r.Details.GetValueOrDefault("slurm_job_id") == job || r.Details.GetValueOrDefault("slurm_allocation") == job,
            100));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RunRecord>> MarkAbandonedAsync(
        string host, Func<int, DateTimeOffset, bool> runnerAlive, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(runnerAlive);
        Check(AbandonedOperation, "mark abandoned runs", cancellationToken);
        var unfinished = Newest(r => Abandonment.IsUnfinished(r) && r.Host == host, -1);
        List<RunRecord> marked = [];
        foreach (var run in unfinished.Where(r => !runnerAlive(r.RunnerPid, r.StartedAt)).OrderBy(r => r.Id))
        {
            var ended = Abandonment.LastSignOfLife(run, now).ToUniversalTime();
            var reason = Abandonment.Reason(run, host);
            lock (_gate)
            {
                // The condition again: the run may have ended since it was read.
                if (_runs.TryGetValue(run.Id, out var current) && current.EndedAt is null)
                {
                    _runs[run.Id] = current with { Status = RunStatus.Abandoned, EndedAt = ended, Reason = reason };
                    marked.Add(run with { Status = RunStatus.Abandoned, EndedAt = ended, Reason = reason });
                }
            }
        }

        return Task.FromResult<IReadOnlyList<RunRecord>>(marked);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private void Check(string operation, string action, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_fails(operation))
        {
            throw new StoreException($"cannot {action} in the result store '{Location}': the recorder was set to fail '{operation}'");
        }
    }

    private void Update(long id, Func<RunRecord, RunRecord> change)
    {
        lock (_gate)
        {
            if (_runs.TryGetValue(id, out var run))
            {
                _runs[id] = change(run);
            }
        }
    }

    /// <summary>The runs that match, newest first, at most <paramref name="limit"/> (negative: all).</summary>
    private List<RunRecord> Newest(Func<RunRecord, bool> match, int limit)
    {
        lock (_gate)
        {
            var runs = _runs.Values.Where(match).OrderByDescending(r => r.Id);
            return [.. limit < 0 ? runs : runs.Take(limit)];
        }
    }

    private static Dictionary<string, T> Sorted<T>(IReadOnlyDictionary<string, T> map) => Sorted(map, value => value);

    private static Dictionary<string, T> Sorted<T>(IReadOnlyDictionary<string, T> map, Func<T, T> copy) =>
        map.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => copy(p.Value), StringComparer.Ordinal);
}
