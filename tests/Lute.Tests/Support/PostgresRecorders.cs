using Lute.Contracts;
using Lute.Host.Store;

namespace Lute.Tests.Support;

/// <summary>
/// A PostgreSQL recorder on a fresh database of the test cluster (scripts/postgres-up.sh), which disposing drops: the
/// recorder theories ask it beside the SQLite store and the in-memory recorder.
/// </summary>
internal sealed class PostgresRecorders(PostgresRunRecorder recorder, PostgresDatabase database) : IRunRecorder
{
    public PostgresDatabase Database => database;

    public string Location => recorder.Location;

    public static async Task<PostgresRecorders> OpenAsync()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        try
        {
            return new PostgresRecorders(await PostgresRunRecorder.OpenAsync(database.ConnectionString("lute_owner")), database);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    public Task<long> StartedAsync(NewRun run, CancellationToken cancellationToken) => recorder.StartedAsync(run, cancellationToken);

    public Task LaunchedAsync(long id, LaunchedRun launch, CancellationToken cancellationToken) => recorder.LaunchedAsync(id, launch, cancellationToken);

    public Task StatusChangedAsync(long id, RunStatus status, CancellationToken cancellationToken) => recorder.StatusChangedAsync(id, status, cancellationToken);

    public Task FinishedAsync(long id, FinishedRun outcome, CancellationToken cancellationToken) => recorder.FinishedAsync(id, outcome, cancellationToken);

    public Task<RunRecord?> GetAsync(long id, CancellationToken cancellationToken) => recorder.GetAsync(id, cancellationToken);

    public Task<IReadOnlyList<RunRecord>> HistoryAsync(int limit, string? task, CancellationToken cancellationToken) => recorder.HistoryAsync(limit, task, cancellationToken);

    public Task<IReadOnlyList<RunRecord>> ForSlurmJobAsync(string job, CancellationToken cancellationToken) => recorder.ForSlurmJobAsync(job, cancellationToken);

    public Task<IReadOnlyList<RunRecord>> MarkAbandonedAsync(string host, Func<int, DateTimeOffset, bool> runnerAlive, DateTimeOffset now, CancellationToken cancellationToken) =>
        recorder.MarkAbandonedAsync(host, runnerAlive, now, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await recorder.DisposeAsync();
        await database.DisposeAsync();
    }
}
