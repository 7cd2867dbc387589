using Lute.Contracts;
using Npgsql;
using C = Lute.Host.Store.RunColumns;

namespace Lute.Host.Store;

public sealed partial class PostgresRunRecorder
{
    /// <summary>A run as a whole, every column from its record, for copying a history from another store.</summary>
    private static readonly RowWrite<RunRecord> Imported = new(
        new(C.Task, r => r.Task),
        new(C.TaskFullName, r => r.TaskFullName),
        new(C.Description, r => r.Description),
        new(C.TaskFile, r => r.TaskFile),
        new(C.Executor, r => r.Executor),
        new(C.Experiment, r => r.Experiment),
        new(C.ExperimentRun, r => r.ExperimentRun),
        new(C.Status, r => r.Status.ToString()),
        new(C.ExitCode, r => r.ExitCode),
        new(C.Signal, r => r.Signal),
        new(C.Reason, r => r.Reason),
        new(C.LaunchFailed, r => r.LaunchFailed ? 1 : 0),
        new(C.StartedAt, r => StoredTime.Format(r.StartedAt)),
        new(C.EndedAt, r => r.EndedAt is { } ended ? StoredTime.Format(ended) : null),
        new(C.LastSeenAt, r => r.LastSeenAt is { } seen ? StoredTime.Format(seen) : null),
        new(C.Host, r => r.Host),
        new(C.RunnerPid, r => r.RunnerPid),
        new(C.TaskPid, r => r.TaskPid),
        new(C.Command, r => StoredJson.List(r.Command)),
        new(C.Parameters, r => StoredJson.Map(r.Parameters)),
        new(C.Environment, r => StoredJson.Environment(r.Environment)),
        new(C.Summary, r => r.Summary.Count == 0 ? null : StoredJson.Map(r.Summary)),
        new(C.Payload, r => r.Payload is { } payload ? StoredJson.Value(payload) : null),
        new(C.Metadata, r => r.Metadata.Count == 0 ? null : StoredJson.Values(r.Metadata)),
        new(C.Details, r => r.Details.Count == 0 && r.Communicators.Count == 0 ? null : StoredJson.Map(r.Details)),
        new(C.Communicators, r => r.Communicators.Count == 0 ? null : StoredJson.List(r.Communicators)),
        new(C.LogPath, r => r.LogPath),
        new(C.WorkDirectory, r => r.WorkDirectory),
        new(C.ReportPath, r => r.ReportPath),
        new(C.Undelivered, r => r.Undelivered.Count == 0 ? null : StoredJson.Undelivered(r.Undelivered)),
        new(C.HookErrors, r => r.HookErrors.Count == 0 ? null : StoredJson.HookErrors(r.HookErrors)));

    /// <summary>
    /// The INSERT of an imported run unless the store has it already: the same task, host, runner and start time
    /// (ids differ between stores, so they cannot tell).
    /// </summary>
    private static readonly string InsertImported = Imported.Insert('@').Replace(
        $"VALUES (",
        $"SELECT ",
        StringComparison.Ordinal).Replace(
        $") RETURNING {C.Id.Name};",
        $" WHERE NOT EXISTS (SELECT 1 FROM runs WHERE {C.Task.Name} = @{C.Task.Name} AND {C.Host.Name} = @{C.Host.Name} AND {C.RunnerPid.Name} = @{C.RunnerPid.Name} AND {C.StartedAt.Name} = @{C.StartedAt.Name}) RETURNING {C.Id.Name};",
        StringComparison.Ordinal);

    /// <summary>Copies <paramref name="runs"/> in, oldest first, in one transaction; those it has already are left out.</summary>
    /// <param name="runs">The runs (from another store).</param>
    /// <param name="cancellationToken">Cancels the copy (nothing of this call is kept).</param>
    /// <returns>How many were copied and how many were there already.</returns>
    /// <exception cref="StoreException">The store cannot be written.</exception>
    public Task<(int Copied, int Present)> ImportAsync(IReadOnlyList<RunRecord> runs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return GuardAsync("copy runs", async connection =>
        {
            var (copied, present) = (0, 0);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            foreach (var run in runs.OrderBy(r => r.Id))
            {
                await using var command = new NpgsqlCommand(InsertImported, connection, transaction);
                Imported.Bind(command, run, '@');
                if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
                {
                    present++;
                }
                else
                {
                    copied++;
                }
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return (copied, present);
        }, cancellationToken);
    }
}
