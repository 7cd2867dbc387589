using Lute.Contracts;
using C = Lute.Host.Store.RunColumns;

namespace Lute.Host.Store;

public sealed partial class SqliteRunRecorder
{
    /// <inheritdoc />
    public async Task<RunRecord?> GetAsync(long id, CancellationToken cancellationToken)
    {
        var list = await QueryAsync($"WHERE {C.Id.Name} = $id", 1, [("$id", id)], cancellationToken).ConfigureAwait(false);
        return list.Count == 0 ? null : list[0];
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RunRecord>> HistoryAsync(int limit, string? task, CancellationToken cancellationToken) =>
        task is null
            ? QueryAsync(string.Empty, limit, [], cancellationToken)
            : QueryAsync($"WHERE {C.Task.Name} = $task OR {C.TaskFullName.Name} = $task", limit, [("$task", task)], cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<RunRecord>> ForSlurmJobAsync(string job, CancellationToken cancellationToken) =>
        QueryAsync(
            $"WHERE json_valid({C.Details.Name}) AND (json_extract({C.Details.Name}, '$.slurm_job_id') = $job OR json_extract({C.Details.Name}, '$.slurm_allocation') = $job)",
            100,
            [("$job", job)],
            cancellationToken);

    private Task<IReadOnlyList<RunRecord>> QueryAsync(
        string where, int limit, (string Name, object Value)[] parameters, CancellationToken cancellationToken) =>
        GuardAsync("read runs", () => ReadRunsAsync(where, limit, parameters, cancellationToken), cancellationToken);

    /// <summary>Reads runs, newest first; the caller holds the connection (inside <see cref="GuardAsync{T}"/>).</summary>
    private async Task<IReadOnlyList<RunRecord>> ReadRunsAsync(
        string where, int limit, (string Name, object Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT {C.SelectList} FROM runs {where} ORDER BY {C.Id.Name} DESC LIMIT $limit;";
        foreach (var (name, value) in parameters)
        {
            Add(command, name, value);
        }

        Add(command, "$limit", limit);
        var list = new List<RunRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var row = new RunRow(reader);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(row.ToRecord());
        }

        return list;
    }
}
