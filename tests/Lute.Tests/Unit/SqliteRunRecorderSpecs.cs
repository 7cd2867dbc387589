using System.Text.Json;
using Lute.Contracts;
using Lute.Host.Store;
using Lute.Tests.Support;

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
        Assert.Equal((long)SqliteRunRecorder.SchemaVersion, StoreFile.Scalar(StorePath, "PRAGMA user_version;"));
        Assert.Equal(1L, StoreFile.Scalar(StorePath, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'runs';"));
        Assert.Equal(0L, StoreFile.Scalar(StorePath, "SELECT count(*) FROM runs;"));
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
}
