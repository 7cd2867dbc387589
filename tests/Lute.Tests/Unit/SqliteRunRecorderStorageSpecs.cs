using System.Globalization;
using System.Text.Json;
using Lute.Contracts;
using Lute.Host.Store;
using Lute.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Lute.Tests.Unit;

/// <summary>How the SQLite recorder lays runs out in its file: the columns, and the JSON text of the typed values.</summary>
public sealed class SqliteRunRecorderStorageSpecs : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 14, 11, 52, 884, TimeSpan.Zero);

    private static readonly CancellationToken None = CancellationToken.None;

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("lute-store-layout-");

    private string StorePath => Path.Combine(_folder.FullName, "lute.db");

    public void Dispose() => _folder.Delete(recursive: true);

    private static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static NewRun Started() => new()
    {
        Task = "Rich",
        TaskFullName = "Rich_01",
        Executor = "local",
        StartedAt = Start,
        Host = "vm",
        RunnerPid = 13013,
        Command = ["sh", "-c", "emit '{\"a\":\"\\u00e9\"}'"],
        Parameters = new Dictionary<string, string> { ["zz"] = "Grüße", ["quote"] = "don't", ["aa"] = "1" },
        Environment = new Dictionary<string, string?> { ["MODE"] = "fast ünïcode", ["DROP_ME"] = null, ["AAA"] = "1" },
    };

    private static LaunchedRun Launched() => new()
    {
        TaskPid = 13027,
        Details = new Dictionary<string, string> { ["pid"] = "13027", ["pgid"] = "13027" },
        Communicators = ["standard output and error", "unix socket /tmp/lute-x/task.sock"],
        LogPath = "/logs/1-Rich_01.log",
        Environment = new Dictionary<string, string?> { ["MODE"] = "fast ünïcode", ["DROP_ME"] = null, ["LUTE_RUN_ID"] = "1" },
    };

    private static FinishedRun Finished() => new()
    {
        Status = RunStatus.Completed,
        ExitCode = 0,
        EndedAt = Start.AddSeconds(1),
        Summary = new Dictionary<string, string> { ["mood"] = "🚀 it's", ["count"] = "3", ["b"] = "x" },
        Payload = Json("""{"note":"it\u0027s a caf\u00e9 \ud83d\ude80","nested":{"b":[1,true,null],"a":"東京"},"n":1.50}"""),
        Metadata = new Dictionary<string, JsonElement> { ["zeta"] = Json("""{"nested":[1,2.50,{"\u00fc":null}]}"""), ["alpha"] = Json("\"Grüße \\u00e9\"") },
        Details = new Dictionary<string, string> { ["pid"] = "13027", ["pgid"] = "13027", ["slurm_allocation"] = "777123" },
        LogPath = "/logs/1-Rich_01.log",
        Undelivered = [new UndeliveredEntry("webhook.post", "done", new DateTimeOffset(2026, 12, 2, 14, 11, 53, 719, TimeSpan.Zero).AddTicks(8291), "POST", "http://127.0.0.1:9/hooks/runs", "application/json", "{\"event\":\"done\"}", "cannot reach the service", 2)],
        HookErrors = [new HookErrorEntry("webhook.post", "done", new DateTimeOffset(2026, 12, 2, 14, 11, 53, 745, TimeSpan.Zero), "POST failed after 2 attempt(s)")],
    };

    private string? Column(long id, string column)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = StorePath, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {column} FROM runs WHERE id = {id.ToString(CultureInfo.InvariantCulture)};";
        return command.ExecuteScalar() as string;
    }

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = StorePath, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private List<(string Name, string Type, bool NotNull)> TableInfo()
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = StorePath, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, type, \"notnull\" FROM pragma_table_info('runs') ORDER BY cid;";
        using var reader = command.ExecuteReader();
        var columns = new List<(string, string, bool)>();
        while (reader.Read())
        {
            columns.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2) != 0));
        }

        return columns;
    }

    [Fact]
    public async Task The_column_table_and_the_migrated_schema_list_the_same_columns()
    {
        await using (await SqliteRunRecorder.OpenAsync(StorePath))
        {
        }

        Assert.Equal(RunColumns.All.Select(c => (c.Name, c.Type, c.NotNull)), TableInfo());
    }

    [Fact]
    public async Task A_store_migrated_from_version_1_has_the_columns_of_the_table_too()
    {
        Execute(StoreFile.VersionOne);

        await using (await SqliteRunRecorder.OpenAsync(StorePath))
        {
        }

        Assert.Equal(RunColumns.All.Select(c => (c.Name, c.Type, c.NotNull)), TableInfo());
    }

    [Fact]
    public async Task Rows_are_read_by_column_name_whatever_the_order_of_the_columns_in_the_file()
    {
        // The same runs table with its columns in the reverse order, at the current schema version.
        var reversed = RunColumns.All.Reverse().Select(c => c == RunColumns.Id
            ? "id INTEGER PRIMARY KEY AUTOINCREMENT"
            : $"{c.Name} {c.Type}{(c.NotNull ? " NOT NULL" : string.Empty)}{(c == RunColumns.LaunchFailed ? " DEFAULT 0" : string.Empty)}");
        Execute($"CREATE TABLE runs ({string.Join(", ", reversed)}); PRAGMA user_version = {SqliteRunRecorder.SchemaVersion};");
        var fresh = Path.Combine(_folder.FullName, "fresh.db");

        var fromReversed = await RoundTripAsync(StorePath);
        var fromFresh = await RoundTripAsync(fresh);

        Assert.Equal(RunColumns.All.Reverse().Select(c => c.Name), TableInfo().Select(c => c.Name));
        RecordAssert.Same(fromFresh with { LastSeenAt = fromReversed.LastSeenAt }, fromReversed);
        Assert.Equal("Rich_01", fromReversed.TaskFullName);
        Assert.Equal(13027, fromReversed.TaskPid);
        Assert.Equal("東京", fromReversed.Payload!.Value.GetProperty("nested").GetProperty("a").GetString());

        static async Task<RunRecord> RoundTripAsync(string path)
        {
            await using var store = await SqliteRunRecorder.OpenAsync(path);
            var id = await store.StartedAsync(Started(), None);
            await store.LaunchedAsync(id, Launched(), None);
            await store.FinishedAsync(id, Finished() with { EndedAt = Start.AddSeconds(2) }, None);
            return (await store.GetAsync(id, None))!;
        }
    }

    [Fact]
    public async Task The_json_columns_hold_the_text_lute_has_always_written()
    {
        await using var store = await SqliteRunRecorder.OpenAsync(StorePath);

        var id = await store.StartedAsync(Started(), None);
        var atStart = (Parameters: Column(id, "parameters"), Environment: Column(id, "environment"), Command: Column(id, "command"));
        await store.LaunchedAsync(id, Launched(), None);
        var atLaunch = (Details: Column(id, "details"), Communicators: Column(id, "communicators"), Environment: Column(id, "environment"));
        await store.FinishedAsync(id, Finished(), None);

        Assert.Equal("""["sh","-c","emit '{\"a\":\"\\u00e9\"}'"]""", atStart.Command);
        Assert.Equal("""{"aa":"1","quote":"don't","zz":"Grüße"}""", atStart.Parameters);
        Assert.Equal("""{"AAA":"1","DROP_ME":null,"MODE":"fast ünïcode"}""", atStart.Environment);
        // At launch the executor's order; at the end, sorted.
        Assert.Equal("""{"pid":"13027","pgid":"13027"}""", atLaunch.Details);
        Assert.Equal("""["standard output and error","unix socket /tmp/lute-x/task.sock"]""", atLaunch.Communicators);
        Assert.Equal("""{"DROP_ME":null,"LUTE_RUN_ID":"1","MODE":"fast ünïcode"}""", atLaunch.Environment);
        Assert.Equal("""{"pgid":"13027","pid":"13027","slurm_allocation":"777123"}""", Column(id, "details"));
        Assert.Equal("""{"b":"x","count":"3","mood":"🚀 it's"}""", Column(id, "summary"));
        Assert.Equal("""{"note":"it's a café 🚀","nested":{"b":[1,true,null],"a":"東京"},"n":1.50}""", Column(id, "payload"));
        Assert.Equal("""{"alpha":"Grüße é","zeta":{"nested":[1,2.50,{"ü":null}]}}""", Column(id, "metadata"));
        Assert.Equal(
            """[{"hook":"webhook.post","event":"done","timestamp":"2026-12-02T14:11:53.7198291+00:00","method":"POST","destination":"http://127.0.0.1:9/hooks/runs","content_type":"application/json","body":"{\"event\":\"done\"}","error":"cannot reach the service","attempts":2}]""",
            Column(id, "undelivered"));
        Assert.Equal(
            """[{"hook":"webhook.post","event":"done","timestamp":"2026-12-02T14:11:53.745+00:00","error":"POST failed after 2 attempt(s)"}]""",
            Column(id, "hook_errors"));
        Assert.Equal("2026-12-02T14:11:52.8840000Z", Column(id, "started_at"));
        Assert.Equal("2026-12-02T14:11:53.8840000Z", Column(id, "ended_at"));
        Assert.Equal("Completed", Column(id, "status"));
    }

    [Fact]
    public async Task An_empty_summary_metadata_and_hook_record_are_stored_as_null()
    {
        await using var store = await SqliteRunRecorder.OpenAsync(StorePath);
        var id = await store.StartedAsync(Started() with { Parameters = new Dictionary<string, string>(), Environment = new Dictionary<string, string?>(), Command = [] }, None);

        await store.FinishedAsync(id, new FinishedRun { Status = RunStatus.Failed, LaunchFailed = true, EndedAt = Start }, None);

        Assert.Equal("[]", Column(id, "command"));
        Assert.Equal("{}", Column(id, "parameters"));
        Assert.Equal("{}", Column(id, "environment"));
        foreach (var column in new[] { "summary", "payload", "metadata", "details", "communicators", "log_path", "undelivered", "hook_errors" })
        {
            Assert.Null(Column(id, column));
        }
    }

    [Fact]
    public async Task Json_that_cannot_be_read_gives_empty_values_and_the_run_is_still_read()
    {
        await using var store = await SqliteRunRecorder.OpenAsync(StorePath);
        var id = await store.StartedAsync(Started(), None);
        await store.LaunchedAsync(id, Launched(), None);
        await store.FinishedAsync(id, Finished(), None);
        Execute("""
            UPDATE runs SET command = 'not json', parameters = '["a list"]', environment = '{"A":1}', summary = '{',
                            payload = '{"unclosed":', metadata = '[]', details = 'null', communicators = '{"a":"b"}',
                            undelivered = '[{"attempts":"many"}]', hook_errors = '42';
            """);

        var run = await store.GetAsync(id, None);
        var history = await store.HistoryAsync(10, null, None);

        Assert.NotNull(run);
        Assert.Equal("Rich", run.Task);
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Empty(run.Command);
        Assert.Empty(run.Parameters);
        Assert.Empty(run.Environment);
        Assert.Empty(run.Summary);
        Assert.Null(run.Payload);
        Assert.Empty(run.Metadata);
        Assert.Empty(run.Details);
        Assert.Empty(run.Communicators);
        Assert.Empty(run.Undelivered);
        Assert.Empty(run.HookErrors);
        Assert.Equal([id], history.Select(r => r.Id));
    }
}
