using System.Globalization;
using System.Text.Json;
using Lute.Contracts;
using Lute.Host.Store;
using Microsoft.Data.Sqlite;

namespace Lute.Tests.Unit;

public sealed class SqliteRunRecorderSpecs : IDisposable
{
    private const string Awkward = "quote \" apostrophe ' newline \n ;;; nul \u0000 Grüße, 東京 😀'); DROP TABLE runs; --";

    private static readonly DateTimeOffset Start = new(2025, 3, 4, 5, 6, 7, 891, TimeSpan.FromHours(2));

    private static readonly CancellationToken None = CancellationToken.None;

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("lute-store-specs-");

    private string StorePath => Path.Combine(_folder.FullName, "nested", "lute.db");

    public void Dispose() => _folder.Delete(recursive: true);

    private static NewRun Run(string task, IReadOnlyDictionary<string, string>? parameters = null) => new()
    {
        Task = task,
        TaskFile = "/work/tasks.yaml",
        Executor = "local",
        Experiment = "mnist",
        ExperimentRun = "0007",
        StartedAt = Start,
        Host = "node-1",
        RunnerPid = 4321,
        Command = ["python3", "train.py"],
        Parameters = parameters ?? new Dictionary<string, string>(),
        Environment = new Dictionary<string, string?> { ["MODE"] = "fast", ["GONE"] = null },
        WorkDirectory = "/work/w",
    };

    private static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static SqliteConnection Raw(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static object? Scalar(string path, string sql)
    {
        using var connection = Raw(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(string path, string sql)
    {
        using var connection = Raw(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [Fact]
    public async Task Opening_a_new_file_creates_its_folder_and_the_schema()
    {
        // Act
        await using (var store = await SqliteRunRecorder.OpenAsync(StorePath))
        {
            Assert.Equal(StorePath, store.Path);
            Assert.Equal(StorePath, store.Location);
        }

        // Assert
        Assert.True(File.Exists(StorePath));
        Assert.Equal((long)SqliteRunRecorder.SchemaVersion, Scalar(StorePath, "PRAGMA user_version;"));
        Assert.Equal(1L, Scalar(StorePath, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'runs';"));
        Assert.Equal(0L, Scalar(StorePath, "SELECT count(*) FROM runs;"));
    }

    [Fact]
    public async Task Opening_an_existing_store_again_keeps_its_runs()
    {
        // Arrange
        long id;
        await using (var store = await SqliteRunRecorder.OpenAsync(StorePath))
        {
            id = await store.StartedAsync(Run("train"), None);
        }

        // Act
        await using var reopened = await SqliteRunRecorder.OpenAsync(StorePath);
        var run = await reopened.GetAsync(id, None);

        // Assert
        Assert.NotNull(run);
        Assert.Equal("train", run.Task);
    }

    [Fact]
    public async Task A_run_round_trips_through_insert_mark_running_finish_and_get()
    {
        // Arrange
        await using var store = await SqliteRunRecorder.OpenAsync(StorePath);
        var parameters = new Dictionary<string, string> { ["note"] = Awkward, [Awkward] = "key" };
        var summary = new Dictionary<string, string> { ["escaped"] = Awkward };
        var ended = Start.AddMinutes(3).AddTicks(1);

        // Act
        var id = await store.StartedAsync(Run("train", parameters), None);
        var pending = await store.GetAsync(id, None);
        await store.LaunchedAsync(id, new LaunchedRun
        {
            TaskPid = 5555,
            Details = new Dictionary<string, string> { ["pid"] = "5555" },
            Communicators = ["stdio", "socket"],
            LogPath = "/logs/1.log",
            Environment = new Dictionary<string, string?> { ["LUTE_RUN_ID"] = "1" },
        }, None);
        var running = await store.GetAsync(id, None);
        await store.FinishedAsync(id, new FinishedRun
        {
            Status = RunStatus.Failed,
            ExitCode = 3,
            Signal = 15,
            Reason = Awkward,
            LaunchFailed = true,
            EndedAt = ended,
            Summary = summary,
            Payload = JsonSerializer.SerializeToElement(Awkward),
            Metadata = new Dictionary<string, JsonElement> { ["m"] = Json("1") },
        }, None);
        var finished = await store.GetAsync(id, None);

        // Assert: pending
        Assert.NotNull(pending);
        Assert.Equal(id, pending.Id);
        Assert.Equal(RunStatus.Pending, pending.Status);
        Assert.Equal("train", pending.Task);
        Assert.Equal("/work/tasks.yaml", pending.TaskFile);
        Assert.Equal("local", pending.Executor);
        Assert.Equal("mnist", pending.Experiment);
        Assert.Equal("0007", pending.ExperimentRun);
        Assert.Equal(Start, pending.StartedAt);
        Assert.Equal(TimeSpan.Zero, pending.StartedAt.Offset);
        Assert.Null(pending.EndedAt);
        Assert.Null(pending.Duration);
        Assert.Equal("node-1", pending.Host);
        Assert.Equal(4321, pending.RunnerPid);
        Assert.Null(pending.TaskPid);
        Assert.Equal(["python3", "train.py"], pending.Command);
        Assert.Equal(parameters.OrderBy(p => p.Key, StringComparer.Ordinal), pending.Parameters);
        Assert.Equal([KeyValuePair.Create("GONE", (string?)null), KeyValuePair.Create("MODE", (string?)"fast")], pending.Environment);
        Assert.Equal("/work/w", pending.WorkDirectory);
        Assert.Empty(pending.Summary);

        // Assert: running
        Assert.NotNull(running);
        Assert.Equal(RunStatus.Running, running.Status);
        Assert.Equal(5555, running.TaskPid);
        Assert.Equal([KeyValuePair.Create("pid", "5555")], running.Details);
        Assert.Equal(["stdio", "socket"], running.Communicators);
        Assert.Equal("/logs/1.log", running.LogPath);
        Assert.Equal([KeyValuePair.Create("LUTE_RUN_ID", (string?)"1")], running.Environment);

        // Assert: finished
        Assert.NotNull(finished);
        Assert.Equal(RunStatus.Failed, finished.Status);
        Assert.Equal(3, finished.ExitCode);
        Assert.Equal(15, finished.Signal);
        Assert.Equal(Awkward, finished.Reason);
        Assert.True(finished.LaunchFailed);
        Assert.Equal(ended, finished.EndedAt);
        Assert.Equal(TimeSpan.FromMinutes(3).Add(TimeSpan.FromTicks(1)), finished.Duration);
        Assert.Equal(summary, finished.Summary);
        Assert.Equal(Awkward, finished.Payload?.GetString());
        Assert.Equal("1", Assert.Single(finished.Metadata, m => m.Key == "m").Value.GetRawText());
        Assert.Equal([KeyValuePair.Create("pid", "5555")], finished.Details);
        Assert.Equal("/logs/1.log", finished.LogPath);
        Assert.Equal(parameters.OrderBy(p => p.Key, StringComparer.Ordinal), finished.Parameters);
        Assert.Equal(Awkward, finished.Parameters["note"]);
        Assert.Equal(Awkward, finished.Summary["escaped"]);
    }

    [Fact]
    public async Task Text_with_a_raw_nul_character_is_stored_intact()
    {
        // Arrange
        await using var store = await SqliteRunRecorder.OpenAsync(StorePath);
        var raw = "before\0after ;;; 東京";

        // Act
        var id = await store.StartedAsync(Run(raw, new Dictionary<string, string> { [raw] = raw }), None);
        await store.FinishedAsync(id, new FinishedRun
        {
            Status = RunStatus.Completed,
            EndedAt = Start,
            Summary = new Dictionary<string, string> { [raw] = raw },
            Payload = JsonSerializer.SerializeToElement(raw),
        }, None);
        var run = await store.GetAsync(id, None);

        // Assert
        Assert.NotNull(run);
        Assert.Equal(raw, run.Task);
        Assert.Equal([KeyValuePair.Create(raw, raw)], run.Parameters);
        Assert.Equal([KeyValuePair.Create(raw, raw)], run.Summary);
        Assert.Equal(raw, run.Payload?.GetString());
        Assert.Single(await store.HistoryAsync(10, raw, None));
    }

    [Fact]
    public async Task Finishing_without_details_or_log_keeps_those_recorded_at_launch()
    {
        // Arrange
        await using var store = await SqliteRunRecorder.OpenAsync(StorePath);
        var id = await store.StartedAsync(Run("t"), None);
        await store.LaunchedAsync(id, new LaunchedRun
        {
            TaskPid = 1,
            Details = new Dictionary<string, string> { ["d"] = "1" },
            Communicators = [],
            LogPath = "/l.log",
            Environment = new Dictionary<string, string?>(),
        }, None);

        // Act
        await store.FinishedAsync(id, new FinishedRun { Status = RunStatus.Completed, EndedAt = Start, ExitCode = 0 }, None);
        var run = await store.GetAsync(id, None);

        // Assert
        Assert.NotNull(run);
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(0, run.ExitCode);
        Assert.Null(run.Signal);
        Assert.False(run.LaunchFailed);
        Assert.Equal([KeyValuePair.Create("d", "1")], run.Details);
        Assert.Equal("/l.log", run.LogPath);
    }

    [Fact]
    public async Task Get_of_an_unknown_id_is_null()
    {
        // Arrange
        await using var store = await SqliteRunRecorder.OpenAsync(StorePath);

        // Act
        var run = await store.GetAsync(404, None);

        // Assert
        Assert.Null(run);
    }

    [Fact]
    public async Task History_is_newest_first_limited_and_filtered_by_task()
    {
        // Arrange
        await using var store = await SqliteRunRecorder.OpenAsync(StorePath);
        var ids = new List<long>();
        foreach (var task in new[] { "train", "eval", "train", "train", "eval" })
        {
            ids.Add(await store.StartedAsync(Run(task), None));
        }

        // Act
        var all = await store.HistoryAsync(100, null, None);
        var latestTwo = await store.HistoryAsync(2, null, None);
        var train = await store.HistoryAsync(100, "train", None);
        var latestEval = await store.HistoryAsync(1, "eval", None);
        var none = await store.HistoryAsync(100, "nope", None);

        // Assert
        Assert.Equal(ids.AsEnumerable().Reverse(), all.Select(r => r.Id));
        Assert.Equal([ids[4], ids[3]], latestTwo.Select(r => r.Id));
        Assert.Equal([ids[3], ids[2], ids[0]], train.Select(r => r.Id));
        Assert.All(train, r => Assert.Equal("train", r.Task));
        Assert.Equal([ids[4]], latestEval.Select(r => r.Id));
        Assert.Empty(none);
    }

    [Fact]
    public async Task A_task_filter_is_a_parameter_not_sql()
    {
        // Arrange
        await using var store = await SqliteRunRecorder.OpenAsync(StorePath);
        await store.StartedAsync(Run("train"), None);

        // Act
        var injected = await store.HistoryAsync(100, "x' OR '1'='1", None);

        // Assert
        Assert.Empty(injected);
    }

    [Fact]
    public async Task A_file_that_is_not_sqlite_is_a_store_error_and_is_left_alone()
    {
        // Arrange
        Directory.CreateDirectory(Path.GetDirectoryName(StorePath)!);
        var text = string.Concat(Enumerable.Repeat("this is not a database, just text\n", 200));
        await File.WriteAllTextAsync(StorePath, text);

        // Act
        var error = await Assert.ThrowsAsync<StoreException>(() => SqliteRunRecorder.OpenAsync(StorePath));

        // Assert
        Assert.Contains(StorePath, error.Message, StringComparison.Ordinal);
        Assert.IsType<SqliteException>(error.InnerException);
        Assert.Equal(text, await File.ReadAllTextAsync(StorePath));
    }

    [Fact]
    public async Task An_sqlite_file_with_other_tables_and_no_schema_version_is_a_store_error()
    {
        // Arrange
        Directory.CreateDirectory(Path.GetDirectoryName(StorePath)!);
        Execute(StorePath, "CREATE TABLE people (name TEXT); INSERT INTO people VALUES ('ada');");

        // Act
        var error = await Assert.ThrowsAsync<StoreException>(() => SqliteRunRecorder.OpenAsync(StorePath));

        // Assert
        Assert.Contains("not a result store", error.Message, StringComparison.Ordinal);
        Assert.Equal(0L, Scalar(StorePath, "PRAGMA user_version;"));
        Assert.Equal(0L, Scalar(StorePath, "SELECT count(*) FROM sqlite_master WHERE name = 'runs';"));
        Assert.Equal("ada", Scalar(StorePath, "SELECT name FROM people;"));
    }

    [Fact]
    public async Task An_sqlite_file_that_is_not_a_store_keeps_its_journal_mode()
    {
        // Arrange
        Directory.CreateDirectory(Path.GetDirectoryName(StorePath)!);
        Execute(StorePath, "CREATE TABLE people (name TEXT);");
        var before = Scalar(StorePath, "PRAGMA journal_mode;");

        // Act
        await Assert.ThrowsAsync<StoreException>(() => SqliteRunRecorder.OpenAsync(StorePath));

        // Assert
        Assert.Equal("delete", before);
        Assert.Equal(before, Scalar(StorePath, "PRAGMA journal_mode;"));
    }

    [Fact]
    public async Task A_store_with_a_newer_schema_version_is_a_store_error()
    {
        // Arrange
        await using (await SqliteRunRecorder.OpenAsync(StorePath))
        {
        }

        var newer = SqliteRunRecorder.SchemaVersion + 1;
        Execute(StorePath, string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {newer};"));

        // Act
        var error = await Assert.ThrowsAsync<StoreException>(() => SqliteRunRecorder.OpenAsync(StorePath));

        // Assert
        Assert.Contains($"schema version {newer}", error.Message, StringComparison.Ordinal);
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
        Assert.Equal((long)newer, Scalar(StorePath, "PRAGMA user_version;"));
    }

    [Fact]
    public async Task The_store_uses_write_ahead_logging()
    {
        // Act
        await using var store = await SqliteRunRecorder.OpenAsync(StorePath);

        // Assert
        Assert.Equal("wal", Scalar(StorePath, "PRAGMA journal_mode;"));
    }

    [Fact]
    public async Task A_version_1_store_is_migrated_forward_keeping_its_runs_and_gains_report_undelivered_and_hook_errors()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(StorePath)!);
        Execute(StorePath, VersionOneStore);
        var undelivered = new UndeliveredEntry("webhook.post", "done", Start, "POST", "http://h/x", "application/json", "{}", "HTTP 500", 3);
        var hookError = new HookErrorEntry("webhook.post", "done", Start, "HTTP 500");

        await using var store = await SqliteRunRecorder.OpenAsync(StorePath);
        var old = await store.GetAsync(1, None);
        var id = await store.StartedAsync(Run("New"), None);
        await store.FinishedAsync(id, new FinishedRun
        {
            Status = RunStatus.Completed,
            EndedAt = Start,
            ReportPath = "/logs/2-New.report.html",
            Undelivered = [undelivered],
            HookErrors = [hookError],
        }, None);
        var current = await store.GetAsync(id, None);

        Assert.Equal(3, SqliteRunRecorder.SchemaVersion);
        Assert.Equal(3L, Scalar(StorePath, "PRAGMA user_version;"));
        Assert.Equal("Old", old!.Task);
        Assert.Equal(RunStatus.Completed, old.Status);
        Assert.Null(old.ReportPath);
        Assert.Empty(old.Undelivered);
        Assert.Null(old.TaskFullName);
        Assert.Null(old.Description);
        Assert.Equal("/logs/2-New.report.html", current!.ReportPath);
        Assert.Equal([undelivered], current.Undelivered);
        Assert.Equal([hookError], current.HookErrors);
    }

    /// <summary>A store as the first schema wrote it, with one finished run.</summary>
    internal const string VersionOneStore = """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT, task TEXT NOT NULL, task_file TEXT, executor TEXT NOT NULL,
            experiment TEXT, experiment_run TEXT, status TEXT NOT NULL, exit_code INTEGER, signal INTEGER, reason TEXT,
            launch_failed INTEGER NOT NULL DEFAULT 0, started_at TEXT NOT NULL, ended_at TEXT, host TEXT NOT NULL,
            runner_pid INTEGER NOT NULL, task_pid INTEGER, command TEXT NOT NULL, parameters TEXT NOT NULL,
            environment TEXT NOT NULL, summary TEXT, payload TEXT, metadata TEXT, details TEXT, communicators TEXT,
            log_path TEXT, work_dir TEXT);
        CREATE INDEX runs_by_task ON runs (task, id);
        CREATE INDEX runs_by_status ON runs (status);
        INSERT INTO runs (task, executor, status, started_at, ended_at, host, runner_pid, command, parameters, environment, exit_code)
        VALUES ('Old', 'local', 'Completed', '2025-01-01T00:00:00.0000000Z', '2025-01-01T00:00:01.0000000Z', 'h', 1, '[]', '{}', '{}', 0);
        PRAGMA user_version = 1;
        """;
}
