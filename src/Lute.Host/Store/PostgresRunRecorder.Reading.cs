using C = Lute.Host.Store.RunColumns;

namespace Lute.Host.Store;

public sealed partial class PostgresRunRecorder
{
    /// <inheritdoc />
    public async Task<RunRecord?> GetAsync(long id, CancellationToken cancellationToken)
    {
        var list = await QueryAsync($"WHERE {C.Id.Name} = @id", 1, [("id", id)], cancellationToken).ConfigureAwait(false);
        return list.Count == 0 ? null : list[0];
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RunRecord>> HistoryAsync(int limit, string? task, CancellationToken cancellationToken) =>
        task is null
            ? QueryAsync(string.Empty, limit, [], cancellationToken)
            : QueryAsync($"WHERE {C.Task.Name} = @task OR {C.TaskFullName.Name} = @task", limit, [("task", task)], cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<RunRecord>> ForSlurmJobAsync(string job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        // The text narrows, the parsed details decide: a damaged details column never stops the listing.
        var candidates = await QueryAsync(
            $"WHERE {C.Details.Name} LIKE '%' || @job || '%'", 1000, [("job", job)], cancellationToken).ConfigureAwait(false);
        return [.. candidates.Where(r => r.Details.GetValueOrDefault("slurm_job_id") == job || r.Details.GetValueOrDefault("slurm_allocation") == job).Take(100)];
    }

    private Task<IReadOnlyList<RunRecord>> QueryAsync(
        string where, int limit, (string Name, object Value)[] parameters, CancellationToken cancellationToken) =>
        GuardAsync("read runs", async connection =>
        {
            await using var command = Command(
                connection, $"SELECT {C.SelectList} FROM runs {where} ORDER BY {C.Id.Name} DESC LIMIT @limit;", [.. parameters, ("limit", (object)(long)limit)]);
            return (IReadOnlyList<RunRecord>)await ReadAllAsync(command, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
}
