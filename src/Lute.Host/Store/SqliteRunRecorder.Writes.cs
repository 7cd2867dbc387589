using System.Globalization;
using Lute.Contracts;
using C = Lute.Host.Store.RunColumns;

namespace Lute.Host.Store;

public sealed partial class SqliteRunRecorder
{
    /// <summary>At the start: what is known before launch, as a Pending run.</summary>
    private static readonly RowWrite<NewRun> Started = new(
        new(C.Task, r => r.Task),
        new(C.TaskFullName, r => r.TaskFullName),
        new(C.Description, r => r.Description),
        new(C.TaskFile, r => r.TaskFile),
        new(C.Executor, r => r.Executor),
        new(C.Experiment, r => r.Experiment),
        new(C.ExperimentRun, r => r.ExperimentRun),
        new(C.Status, _ => nameof(RunStatus.Pending)),
        new(C.StartedAt, r => Format(r.StartedAt)),
        new(C.LastSeenAt, r => Format(r.StartedAt)),
        new(C.Host, r => r.Host),
        new(C.RunnerPid, r => r.RunnerPid),
        new(C.Command, r => StoredJson.List(r.Command)),
        new(C.Parameters, r => StoredJson.Map(StoredJson.Sorted(r.Parameters))),
        new(C.Environment, r => StoredJson.Environment(StoredJson.Sorted(r.Environment))),
        new(C.WorkDirectory, r => r.WorkDirectory));

    /// <summary>At launch: Running, with the task's process and what the executor and communicators said of it.</summary>
    private static readonly RowWrite<LaunchedRun> Launched = new(
        new(C.Status, _ => nameof(RunStatus.Running)),
        new(C.TaskPid, r => r.TaskPid),
        // In the executor's order, as it gave them; the end records them sorted.
        new(C.Details, r => StoredJson.Map(r.Details)),
        new(C.Communicators, r => StoredJson.List(r.Communicators)),
        new(C.LogPath, r => r.LogPath),
        new(C.Environment, r => StoredJson.Environment(StoredJson.Sorted(r.Environment))),
        new(C.LastSeenAt, _ => Format(DateTimeOffset.UtcNow)));

    /// <summary>When the task is stopped or continued.</summary>
    private static readonly RowWrite<RunStatus> StatusChanged = new(
        new(C.Status, s => s.ToString()),
        new(C.LastSeenAt, _ => Format(DateTimeOffset.UtcNow)));

    /// <summary>At the end: the outcome; details and log path recorded at launch stay when none are given.</summary>
    private static readonly RowWrite<FinishedRun> Finished = new(
        new(C.Status, r => r.Status.ToString()),
        new(C.ExitCode, r => r.ExitCode),
        new(C.Signal, r => r.Signal),
        new(C.Reason, r => r.Reason),
        new(C.LaunchFailed, r => r.LaunchFailed ? 1 : 0),
        new(C.EndedAt, r => Format(r.EndedAt)),
        new(C.Summary, r => r.Summary.Count == 0 ? null : StoredJson.Map(StoredJson.Sorted(r.Summary))),
        new(C.Payload, r => r.Payload is { } payload ? StoredJson.Value(payload) : null),
        new(C.Metadata, r => r.Metadata.Count == 0 ? null : StoredJson.Values(StoredJson.Sorted(r.Metadata))),
        new(C.Details, r => r.Details.Count == 0 ? null : StoredJson.Map(StoredJson.Sorted(r.Details)), KeepWhenNull: true),
        new(C.LogPath, r => r.LogPath, KeepWhenNull: true),
        new(C.ReportPath, r => r.ReportPath),
        new(C.Undelivered, r => r.Undelivered.Count == 0 ? null : StoredJson.Undelivered(r.Undelivered)),
        new(C.HookErrors, r => r.HookErrors.Count == 0 ? null : StoredJson.HookErrors(r.HookErrors)),
        new(C.LastSeenAt, r => Format(r.EndedAt)));

    /// <summary>When the runner of an unfinished run is found gone.</summary>
    private static readonly RowWrite<Abandoning> Abandoned = new(
        new(C.Status, _ => nameof(RunStatus.Abandoned)),
        new(C.EndedAt, r => Format(r.EndedAt)),
        new(C.Reason, r => r.Reason));

    private static readonly string InsertStarted = Started.Insert();
    private static readonly string UpdateLaunched = Launched.Update();
    // Never over an outcome: the run may have ended meanwhile.
    private static readonly string UpdateStatus = StatusChanged.Update($"{C.EndedAt.Name} IS NULL AND {C.Status.Name} IN ('Running', 'Stopped')");
    private static readonly string UpdateFinished = Finished.Update();
    // The condition again: the run may have ended since it was read.
    private static readonly string UpdateAbandoned = Abandoned.Update($"{C.EndedAt.Name} IS NULL");

    /// <inheritdoc />
    public Task<long> StartedAsync(NewRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        return GuardAsync("record the run", async () =>
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = InsertStarted;
            Started.Bind(command, run);
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task LaunchedAsync(long id, LaunchedRun launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        return UpdateAsync("record the launch", UpdateLaunched, Launched, launch, id, cancellationToken);
    }

    /// <inheritdoc />
    public Task StatusChangedAsync(long id, RunStatus status, CancellationToken cancellationToken)
    {
        if (status is not (RunStatus.Stopped or RunStatus.Running))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "only a running task's status changes this way");
        }

        return UpdateAsync("record the task's status", UpdateStatus, StatusChanged, status, id, cancellationToken);
    }

    /// <inheritdoc />
    public Task FinishedAsync(long id, FinishedRun outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return UpdateAsync("record the outcome", UpdateFinished, Finished, outcome, id, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RunRecord>> MarkAbandonedAsync(
        string host, Func<int, DateTimeOffset, bool> runnerAlive, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(runnerAlive);
        return GuardAsync("mark abandoned runs", async () =>
        {
            var unfinished = await ReadRunsAsync(
                $"WHERE {C.Status.Name} IN ('Pending', 'Running', 'Stopped') AND {C.EndedAt.Name} IS NULL AND {C.Host.Name} = $host",
                int.MaxValue,
                [("$host", host)],
                cancellationToken).ConfigureAwait(false);
            List<RunRecord> marked = [];
            foreach (var run in unfinished.Where(r => !runnerAlive(r.RunnerPid, r.StartedAt)).OrderBy(r => r.Id))
            {
                var abandoning = new Abandoning(Abandonment.LastSignOfLife(run, now), Abandonment.Reason(run, host));
                if (await ExecuteUpdateAsync(UpdateAbandoned, Abandoned, abandoning, run.Id, cancellationToken).ConfigureAwait(false) == 1)
                {
                    marked.Add(run with { Status = RunStatus.Abandoned, EndedAt = abandoning.EndedAt, Reason = abandoning.Reason });
                }
            }

            return (IReadOnlyList<RunRecord>)marked;
        }, cancellationToken);
    }

    private Task UpdateAsync<T>(string action, string sql, RowWrite<T> write, T value, long id, CancellationToken cancellationToken) =>
        GuardAsync(action, () => ExecuteUpdateAsync(sql, write, value, id, cancellationToken), cancellationToken);

    /// <summary>Runs an UPDATE of run <paramref name="id"/>; the caller holds the connection.</summary>
    private async Task<int> ExecuteUpdateAsync<T>(string sql, RowWrite<T> write, T value, long id, CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = sql;
        write.Bind(command, value);
        Add(command, "$id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What marking a run abandoned writes.</summary>
    private sealed record Abandoning(DateTimeOffset EndedAt, string Reason);
}
