using System.Globalization;
using Lute.Contracts;
using C = Lute.Host.Store.RunColumns;

namespace Lute.Host.Store;

public sealed partial class SqliteRunRecorder
{
    private static readonly string InsertStarted = RunMoments.Started.Insert();
    private static readonly string UpdateLaunched = RunMoments.Launched.Update();
    // Never over an outcome: the run may have ended meanwhile.
    private static readonly string UpdateStatus = RunMoments.StatusChanged.Update($"{C.EndedAt.Name} IS NULL AND {C.Status.Name} IN ('Running', 'Stopped')");
    private static readonly string UpdateFinished = RunMoments.Finished.Update();
    // The condition again: the run may have ended since it was read.
    private static readonly string UpdateAbandoned = RunMoments.Abandoned.Update($"{C.EndedAt.Name} IS NULL");

    /// <inheritdoc />
    public Task<long> StartedAsync(NewRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        return GuardAsync("record the run", async () =>
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = InsertStarted;
            RunMoments.Started.Bind(command, run);
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task LaunchedAsync(long id, LaunchedRun launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        return UpdateAsync("record the launch", UpdateLaunched, RunMoments.Launched, launch, id, cancellationToken);
    }

    /// <inheritdoc />
    public Task StatusChangedAsync(long id, RunStatus status, CancellationToken cancellationToken)
    {
        if (status is not (RunStatus.Stopped or RunStatus.Running))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "only a running task's status changes this way");
        }

        return UpdateAsync("record the task's status", UpdateStatus, RunMoments.StatusChanged, status, id, cancellationToken);
    }

    /// <inheritdoc />
    public Task FinishedAsync(long id, FinishedRun outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return UpdateAsync("record the outcome", UpdateFinished, RunMoments.Finished, outcome, id, cancellationToken);
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
                var abandoning = new RunMoments.Abandoning(Abandonment.LastSignOfLife(run, now), Abandonment.Reason(run, host));
                if (await ExecuteUpdateAsync(UpdateAbandoned, RunMoments.Abandoned, abandoning, run.Id, cancellationToken).ConfigureAwait(false) == 1)
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
}
