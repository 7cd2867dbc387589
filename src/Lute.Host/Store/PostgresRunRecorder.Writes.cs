using System.Globalization;
using Lute.Contracts;
using Npgsql;
using C = Lute.Host.Store.RunColumns;

namespace Lute.Host.Store;

public sealed partial class PostgresRunRecorder
{
    private static readonly string InsertStarted = RunMoments.Started.Insert('@');
    private static readonly string UpdateLaunched = RunMoments.Launched.Update(prefix: '@');
    // Never over an outcome: the run may have ended meanwhile.
    private static readonly string UpdateStatus = RunMoments.StatusChanged.Update($"{C.EndedAt.Name} IS NULL AND {C.Status.Name} IN ('Running', 'Stopped')", '@');
    private static readonly string UpdateFinished = RunMoments.Finished.Update(prefix: '@');
    // The condition again: the run may have ended since it was read.
    // The conditions again: the run may have ended, or its runner restored its session, since it was read.
    private static readonly string UpdateAbandoned = RunMoments.Abandoned.Update($"{C.EndedAt.Name} IS NULL AND NOT {PostgresRunPresence.LockHeld(C.Id.Name)}", '@');

    /// <inheritdoc />
    public Task<long> StartedAsync(NewRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        // The run is recorded on a session of its own that then holds it (see PostgresRunPresence) until its outcome.
        return GuardedAsync("record the run", async () =>
        {
            var presence = await PostgresRunPresence.StartAsync(_own, _source, async (connection, transaction) =>
            {
                await using var command = new NpgsqlCommand(InsertStarted, connection, transaction);
                RunMoments.Started.Bind(command, run, '@');
                return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            }, cancellationToken).ConfigureAwait(false);
            _presences[presence.RunId] = presence;
            return presence.RunId;
        });
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
    public async Task FinishedAsync(long id, FinishedRun outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        try
        {
            await UpdateAsync("record the outcome", UpdateFinished, RunMoments.Finished, outcome, id, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // After the outcome, never before: a run must not be seen unfinished with its lock free while its runner lives.
            if (_presences.TryRemove(id, out var presence))
            {
                await presence.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Marks ABANDONED every unfinished run whose runner does not hold its lock, whatever its host: a runner holds its
    /// run's lock from the transaction that recorded the run to its outcome, so a free lock is a runner gone (the
    /// process-id check <paramref name="runnerAlive"/> and <paramref name="host"/> are not needed here).
    /// </summary>
    /// <inheritdoc />
    public Task<IReadOnlyList<RunRecord>> MarkAbandonedAsync(
        string host, Func<int, DateTimeOffset, bool> runnerAlive, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(runnerAlive);
        return GuardAsync("mark abandoned runs", async connection =>
        {
            await using var select = Command(
                connection,
                $"SELECT {C.SelectList} FROM runs WHERE {C.Status.Name} IN ('Pending', 'Running', 'Stopped') AND {C.EndedAt.Name} IS NULL AND NOT {PostgresRunPresence.LockHeld(C.Id.Name)} ORDER BY {C.Id.Name};",
                []);
            var unfinished = await ReadAllAsync(select, cancellationToken).ConfigureAwait(false);
            List<RunRecord> marked = [];
            foreach (var run in unfinished)
            {
                var abandoning = new RunMoments.Abandoning(Abandonment.LastSignOfLife(run, now), Abandonment.Reason(run, run.Host));
                if (await ExecuteUpdateAsync(connection, UpdateAbandoned, RunMoments.Abandoned, abandoning, run.Id, cancellationToken).ConfigureAwait(false) == 1)
                {
                    marked.Add(run with { Status = RunStatus.Abandoned, EndedAt = abandoning.EndedAt, Reason = abandoning.Reason });
                }
            }

            return (IReadOnlyList<RunRecord>)marked;
        }, cancellationToken);
    }

    private Task UpdateAsync<T>(string action, string sql, RowWrite<T> write, T value, long id, CancellationToken cancellationToken) =>
        GuardAsync(action, connection => ExecuteUpdateAsync(connection, sql, write, value, id, cancellationToken), cancellationToken);

    private static async Task<int> ExecuteUpdateAsync<T>(NpgsqlConnection connection, string sql, RowWrite<T> write, T value, long id, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        write.Bind(command, value, '@');
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
