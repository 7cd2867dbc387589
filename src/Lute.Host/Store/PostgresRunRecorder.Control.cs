using System.Globalization;
using Npgsql;

namespace Lute.Host.Store;

public sealed partial class PostgresRunRecorder : IRunControlChannel
{
    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">This recorder did not start run <paramref name="id"/>, or has recorded its outcome.</exception>
    public IDisposable Listen(long id, Func<RunControlRequest, ValueTask> onRequest, Action<string> onProblem)
    {
        ArgumentNullException.ThrowIfNull(onRequest);
        ArgumentNullException.ThrowIfNull(onProblem);
        return _presences.TryGetValue(id, out var presence)
            ? presence.Listen(onRequest, onProblem)
            : throw new InvalidOperationException($"run {id.ToString(CultureInfo.InvariantCulture)} is not held by this recorder");
    }

    /// <inheritdoc />
    public Task<string?> RequestAsync(RunRecord run, string verb, string askedBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(askedBy);
        if (verb is not ("stop" or "continue" or "cancel"))
        {
            throw new ArgumentException($"'{verb}' is not one of stop, continue, cancel", nameof(verb));
        }

        var id = run.Id.ToString(CultureInfo.InvariantCulture);
        return GuardAsync("ask the run's runner", async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            // The run's row is locked against its outcome (and against a repair) while the request is made.
            await using var check = new NpgsqlCommand(
                $"SELECT status, ended_at IS NOT NULL, {PostgresRunPresence.LockHeld("id")} FROM runs WHERE id = @id FOR SHARE;", connection, transaction);
            check.Parameters.AddWithValue("id", run.Id);
            string? refusal;
            await using (var reader = await check.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                refusal = !await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? $"there is no run {id} in {Location}"
                    : reader.GetBoolean(1) ? $"run {id} has already ended ({StoredTime.Status(reader.GetString(0))})"
                    : !reader.GetBoolean(2) ? $"the runner of run {id} (process {run.RunnerPid.ToString(CultureInfo.InvariantCulture)} on {run.Host}) is gone; 'lute history --repair' marks the run ABANDONED"
                    : null;
            }

            if (refusal is not null)
            {
                return refusal;
            }

            // The insert's trigger NOTIFYs lute_run_ID; the runner hears it when this transaction commits.
            await using var insert = new NpgsqlCommand(
                "INSERT INTO run_requests (run_id, verb, asked_by, asked_at) VALUES (@id, @verb, @by, @at);", connection, transaction);
            insert.Parameters.AddWithValue("id", run.Id);
            insert.Parameters.AddWithValue("verb", verb);
            insert.Parameters.AddWithValue("by", askedBy);
            insert.Parameters.AddWithValue("at", StoredTime.Format(DateTimeOffset.UtcNow));
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return (string?)null;
        }, cancellationToken);
    }
}
