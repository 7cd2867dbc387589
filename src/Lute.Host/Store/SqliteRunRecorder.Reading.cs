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
            list.Add(Read(row));
        }

        return list;
    }

    private static RunRecord Read(RunRow row) => new()
    {
        Id = row.Integer(C.Id),
        Task = row.Text(C.Task),
        TaskFullName = row.TextOrNull(C.TaskFullName),
        Description = row.TextOrNull(C.Description),
        LastSeenAt = row.TextOrNull(C.LastSeenAt) is { } seen ? Parse(seen) : null,
        TaskFile = row.TextOrNull(C.TaskFile),
        Executor = row.Text(C.Executor),
        Experiment = row.TextOrNull(C.Experiment),
        ExperimentRun = row.TextOrNull(C.ExperimentRun),
        Status = Enum.TryParse<RunStatus>(row.Text(C.Status), out var status) ? status : RunStatus.Abandoned,
        ExitCode = row.Int32OrNull(C.ExitCode),
        Signal = row.Int32OrNull(C.Signal),
        Reason = row.TextOrNull(C.Reason),
        LaunchFailed = row.Integer(C.LaunchFailed) != 0,
        StartedAt = Parse(row.Text(C.StartedAt)),
        EndedAt = row.TextOrNull(C.EndedAt) is { } ended ? Parse(ended) : null,
        Host = row.Text(C.Host),
        RunnerPid = row.Int32(C.RunnerPid),
        TaskPid = row.Int32OrNull(C.TaskPid),
        Command = StoredJson.ReadList(row.TextOrNull(C.Command)),
        Parameters = StoredJson.ReadMap(row.TextOrNull(C.Parameters)),
        Environment = StoredJson.ReadEnvironment(row.TextOrNull(C.Environment)),
        Summary = StoredJson.ReadMap(row.TextOrNull(C.Summary)),
        Payload = StoredJson.ReadValue(row.TextOrNull(C.Payload)),
        Metadata = StoredJson.ReadValues(row.TextOrNull(C.Metadata)),
        Details = StoredJson.ReadMap(row.TextOrNull(C.Details)),
        Communicators = StoredJson.ReadList(row.TextOrNull(C.Communicators)),
        LogPath = row.TextOrNull(C.LogPath),
        WorkDirectory = row.TextOrNull(C.WorkDirectory),
        ReportPath = row.TextOrNull(C.ReportPath),
        Undelivered = StoredJson.ReadUndelivered(row.TextOrNull(C.Undelivered)),
        HookErrors = StoredJson.ReadHookErrors(row.TextOrNull(C.HookErrors)),
    };
}
