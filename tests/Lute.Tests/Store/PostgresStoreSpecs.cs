using System.Globalization;
using Lute.Contracts;
using Lute.Host.Running;
using Lute.Host.Store;
using Lute.Tests.Integration;
using Lute.Tests.Support;

namespace Lute.Tests.Store;

/// <summary>
/// <c>store: postgresql://...</c> with the real lute against the test cluster (scripts/postgres-up.sh): the same
/// history and show as from SQLite, a run recorded by the writer role, and clear errors for a password in
/// plugins.yaml, a wrong password, a server that is not there and a schema newer than this build.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class PostgresStoreSpecs
{
    [Fact]
    public async Task History_and_show_print_the_same_from_postgresql_as_from_sqlite()
    {
        using var workspace = Workspace.Create();
        await using var database = await PostgresServer.CreateDatabaseAsync();
        await using (var postgres = await PostgresRunRecorder.OpenAsync(database.ConnectionString(PostgresServer.Owner)))
        await using (var sqlite = await SqliteRunRecorder.OpenAsync(workspace.StorePath))
        {
            foreach (IRunRecorder store in new IRunRecorder[] { postgres, sqlite })
            {
                var id = await store.StartedAsync(SampleRuns.Started(), CancellationToken.None);
                await store.LaunchedAsync(id, SampleRuns.Launched(), CancellationToken.None);
                await store.FinishedAsync(id, SampleRuns.Finished(), CancellationToken.None);
                await store.StartedAsync(SampleRuns.Started("Merge", host: "node-9"), CancellationToken.None);
            }
        }

        var sqliteConfig = workspace.ConfigPath;
        var address = $"postgresql://{PostgresServer.Reader}@127.0.0.1:{PostgresServer.Port}/{database.Name}";
        var postgresConfig = workspace.Write("postgres.yaml", $"store: {address}\nlogs: logs\n");
        var reading = new Dictionary<string, string?> { ["PGPASSFILE"] = PostgresServer.PassFile, ["PGPASSWORD"] = null };
        foreach (var command in new[] { "history", "history --json", "history --task Index", "show 1", "show 1 --json", "show 2", "status 77", "history --limit 1" })
        {
            var fromSqlite = await LuteAsync(workspace, sqliteConfig, command, reading);
            var fromPostgres = await LuteAsync(workspace, postgresConfig, command, reading);
            Assert.True(fromSqlite.Code == fromPostgres.Code, $"{command}: exit {fromSqlite.Code} from SQLite, {fromPostgres.Code} from PostgreSQL\n{fromPostgres.Output}");
            Assert.Equal(fromSqlite.Output.Replace(workspace.StorePath, "STORE", StringComparison.Ordinal), fromPostgres.Output.Replace(address, "STORE", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_run_is_recorded_by_the_writer_role_with_its_password_from_a_file()
    {
        using var workspace = Workspace.Create();
        await using var database = await PostgresServer.CreateDatabaseAsync();
        await (await PostgresRunRecorder.OpenAsync(database.ConnectionString(PostgresServer.Owner))).DisposeAsync();
        var password = workspace.Write("writer.password", PostgresServer.Password(PostgresServer.Writer) + "\n");
        var address = $"postgresql://{PostgresServer.Writer}@127.0.0.1:{PostgresServer.Port}/{database.Name}";
        var config = workspace.Write("postgres.yaml", $"logs: logs\nstore: {{ postgresql: \"{address}\", password_file: {password} }}\n");
        var tasks = workspace.Write("tasks.yaml", """
            tasks:
              Hello:
                command: [sh, -c, 'echo hello']
            """);

        var (code, output) = await LuteAsync(workspace, config, $"run {tasks}", new Dictionary<string, string?> { ["PGPASSWORD"] = null, ["PGPASSFILE"] = "/nonexistent" });
        Assert.True(code == ExitCodes.Completed, output);
        Assert.Contains($"Result recorded in {address} (lute show 1)", output, StringComparison.Ordinal);
        Assert.DoesNotContain(PostgresServer.Password(PostgresServer.Writer), output, StringComparison.Ordinal);

        await using var reader = await PostgresRunRecorder.OpenAsync(database.ConnectionString(PostgresServer.Reader));
        var recorded = Assert.Single(await reader.HistoryAsync(10, null, CancellationToken.None));
        Assert.Equal((RunStatus.Completed, "Hello", 0), (recorded.Status, recorded.Task, recorded.ExitCode));
        Assert.True(File.Exists(recorded.LogPath), recorded.LogPath);
    }

    [Fact]
    public async Task Fifty_runners_starting_at_once_on_a_new_database_create_its_schema_once_and_lose_no_run()
    {
        const int Runners = 50;
        using var workspace = Workspace.Create();
        await using var database = await PostgresServer.CreateDatabaseAsync();
        var address = $"postgresql://{PostgresServer.Writer}@127.0.0.1:{PostgresServer.Port}/{database.Name}";
        var config = workspace.Write("postgres.yaml", $"logs: logs\nstore: {address}\n");
        var tasks = workspace.Write("tasks.yaml", "tasks:\n  Quick:\n    command: [sh, -c, 'echo quick']\n");
        var environment = new Dictionary<string, string?> { ["PGPASSFILE"] = PostgresServer.PassFile, ["PGPASSWORD"] = null };
        var runners = Enumerable.Range(0, Runners)
            .Select(_ => ChildProcess.Start(Repo.Lute, ["run", tasks, "--config", config], workspace.Root, environment))
            .ToList();
        try
        {
            foreach (var runner in runners)
            {
                Assert.True(await runner.WaitForExitAsync(TimeSpan.FromMinutes(3)) == ExitCodes.Completed, runner.Output);
                Assert.True(runner.Output.Contains($"Result recorded in {address}", StringComparison.Ordinal), runner.Output);
            }
        }
        finally
        {
            runners.ForEach(r => r.Dispose());
        }

        // The first runner created the schema (the writer may create in this test database), so it owns the table.
        await using var store = await PostgresRunRecorder.OpenAsync(database.ConnectionString(PostgresServer.Writer));
        var runs = await store.HistoryAsync(1000, null, CancellationToken.None);
        Assert.Equal(Runners, runs.Count);
        Assert.Equal(Enumerable.Range(1, Runners).Select(i => (long)i), runs.Select(r => r.Id).Order());
        Assert.All(runs, r => Assert.Equal(RunStatus.Completed, r.Status));
        Assert.Equal(Runners, runs.Select(r => r.RunnerPid).Distinct().Count());
        await using var connection = await PostgresServer.OpenAsync(PostgresServer.Writer, database.Name);
        await using var versions = new Npgsql.NpgsqlCommand("SELECT count(*), max(version) FROM lute_schema;", connection);
        await using var reader = await versions.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal((1L, PostgresRunRecorder.SchemaVersion), (reader.GetInt64(0), reader.GetInt32(1)));
    }

    [Fact]
    public async Task Store_migrate_copies_a_sqlite_history_once_and_the_copy_shows_the_same()
    {
        using var workspace = Workspace.Create();
        await using var database = await PostgresServer.CreateDatabaseAsync();
        await (await PostgresRunRecorder.OpenAsync(database.ConnectionString(PostgresServer.Owner))).DisposeAsync();
        await using (var sqlite = await SqliteRunRecorder.OpenAsync(workspace.StorePath))
        {
            var id = await sqlite.StartedAsync(SampleRuns.Started(), CancellationToken.None);
            await sqlite.LaunchedAsync(id, SampleRuns.Launched(), CancellationToken.None);
            await sqlite.FinishedAsync(id, SampleRuns.Finished(), CancellationToken.None);
            await sqlite.StartedAsync(SampleRuns.Started("Merge", host: "node-9"), CancellationToken.None);
            var third = await sqlite.StartedAsync(SampleRuns.Started("Index", runnerPid: 99), CancellationToken.None);
            await sqlite.FinishedAsync(third, StoreSeed.Ended(RunStatus.Completed, SampleRuns.Start, 2), CancellationToken.None);
        }

        var address = $"postgresql://{PostgresServer.Writer}@127.0.0.1:{PostgresServer.Port}/{database.Name}";
        var config = workspace.Write("postgres.yaml", $"logs: logs\nstore: {address}\n");
        var environment = new Dictionary<string, string?> { ["PGPASSFILE"] = PostgresServer.PassFile, ["PGPASSWORD"] = null };
        var first = await LuteAsync(workspace, config, $"store migrate --from {workspace.StorePath}", environment);
        Assert.True(first.Code == 0, first.Output);
        Assert.Contains($"Copied 3 runs from {workspace.StorePath} to {address}; 0 were there already (3 read)", first.Output, StringComparison.Ordinal);
        var again = await LuteAsync(workspace, config, $"store migrate --from {workspace.StorePath}", environment);
        Assert.True(again.Code == 0, again.Output);
        Assert.Contains("Copied 0 runs", again.Output, StringComparison.Ordinal);
        Assert.Contains("3 were there already (3 read)", again.Output, StringComparison.Ordinal);

        foreach (var command in new[] { "history", "show 1", "show 2", "show 3 --json" })
        {
            var fromSqlite = await LuteAsync(workspace, workspace.ConfigPath, command, environment);
            var fromPostgres = await LuteAsync(workspace, config, command, environment);
            Assert.Equal(fromSqlite.Output.Replace(workspace.StorePath, "STORE", StringComparison.Ordinal), fromPostgres.Output.Replace(address, "STORE", StringComparison.Ordinal));
        }

        var toSqlite = await LuteAsync(workspace, workspace.ConfigPath, $"store migrate --from {workspace.StorePath}", environment);
        Assert.True(toSqlite.Code == ExitCodes.BadInput, toSqlite.Output);
        Assert.Contains("is a SQLite file; name a PostgreSQL store", toSqlite.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_password_in_plugins_yaml_a_wrong_password_no_server_and_a_newer_schema_each_say_what_to_fix()
    {
        using var workspace = Workspace.Create();
        await using var database = await PostgresServer.CreateDatabaseAsync();
        var port = PostgresServer.Port.ToString(CultureInfo.InvariantCulture);
        var none = new Dictionary<string, string?> { ["PGPASSWORD"] = null, ["PGPASSFILE"] = "/nonexistent" };

        var inline = workspace.Write("inline.yaml", $"logs: logs\nstore: postgresql://lute_writer:hunter2@127.0.0.1:{port}/{database.Name}\n");
        var (code, output) = await LuteAsync(workspace, inline, "history", none);
        Assert.True(code == ExitCodes.BadInput, output);
        Assert.Contains("inline.yaml:2:8", output, StringComparison.Ordinal);
        Assert.Contains("the address holds a password, and plugins.yaml must hold none", output, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", output.Replace("lute_writer:hunter2", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);

        var wrong = workspace.Write("wrong.password", "not-the-password\n");
        var wrongConfig = workspace.Write("wrong.yaml", $"logs: logs\nstore: {{ postgresql: \"postgresql://lute_writer@127.0.0.1:{port}/{database.Name}\", password_file: {wrong} }}\n");
        (code, output) = await LuteAsync(workspace, wrongConfig, "history", none);
        Assert.True(code == ExitCodes.Internal, output);
        Assert.Contains("28P01", output, StringComparison.Ordinal);
        Assert.Contains("check the password", output, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", output, StringComparison.Ordinal);

        // A run whose store refuses still runs its task and ends with its outcome, saying why it was not recorded.
        var tasks = workspace.Write("tasks.yaml", "tasks:\n  Hello:\n    command: [sh, -c, 'echo ran']\n");
        (code, output) = await LuteAsync(workspace, wrongConfig, $"run {tasks}", none);
        Assert.True(code == ExitCodes.Completed, output);
        Assert.Contains("[Hello stdout] ran", output, StringComparison.Ordinal);
        Assert.Contains("Result NOT recorded: ", output, StringComparison.Ordinal);
        Assert.Contains("password authentication failed", output, StringComparison.Ordinal);

        var closed = MetricsFreePort();
        var nowhere = workspace.Write("nowhere.yaml", $"logs: logs\nstore: postgresql://lute_writer@127.0.0.1:{closed}/lute\n");
        (code, output) = await LuteAsync(workspace, nowhere, "history", none);
        Assert.True(code == ExitCodes.Internal, output);
        Assert.Contains($"postgresql://lute_writer@127.0.0.1:{closed}/lute", output, StringComparison.Ordinal);
        Assert.Contains("is the server running", output, StringComparison.Ordinal);

        await (await PostgresRunRecorder.OpenAsync(database.ConnectionString(PostgresServer.Owner))).DisposeAsync();
        await using (var connection = await PostgresServer.OpenAsync(PostgresServer.Owner, database.Name))
        {
            await PostgresServer.ExecuteAsync(connection, "UPDATE lute_schema SET version = 99");
        }

        var newer = workspace.Write("newer.yaml", $"logs: logs\nstore: postgresql://lute_reader@127.0.0.1:{port}/{database.Name}\n");
        (code, output) = await LuteAsync(workspace, newer, "history", new Dictionary<string, string?> { ["PGPASSFILE"] = PostgresServer.PassFile, ["PGPASSWORD"] = null });
        Assert.True(code == ExitCodes.Internal, output);
        Assert.Contains($"has schema version 99, newer than this build's {PostgresRunRecorder.SchemaVersion}; upgrade lute", output, StringComparison.Ordinal);
    }

    private static int MetricsFreePort() => Lute.Tests.Observability.MetricsSpecs.FreePort();

    private static async Task<(int Code, string Output)> LuteAsync(Workspace workspace, string config, string command, IReadOnlyDictionary<string, string?> environment)
    {
        using var process = ChildProcess.Start(Repo.Lute, [.. command.Split(' '), "--config", config], workspace.Root, environment);
        var code = await process.WaitForExitAsync(Workspace.DefaultTimeout);
        return (code, process.Output);
    }
}
