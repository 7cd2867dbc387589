using System.Text.Json;
using Lute.Contracts;
using Lute.Host.Store;

namespace Lute.Tests.Support;

/// <summary>What the recorder specs write: a run with every field set, at each of its moments.</summary>
internal static class SampleRuns
{
    public static readonly DateTimeOffset Start = new(2025, 3, 4, 5, 6, 7, 891, TimeSpan.FromHours(2));

    /// <summary>The recorders every theory asks: the SQLite store, the PostgreSQL store and the in-memory recorder.</summary>
    public static TheoryData<string> Recorders => ["sqlite", "postgresql", "memory"];

    /// <summary>The recorders that tell a runner's death by its process on its own host (PostgreSQL tells it by the run's lock).</summary>
    public static TheoryData<string> ProcessCheckingRecorders => ["sqlite", "memory"];

    /// <summary>A new recorder of <paramref name="kind"/>; the SQLite one in <paramref name="folder"/>, the PostgreSQL one on a fresh database.</summary>
    public static async Task<IRunRecorder> OpenAsync(string kind, string folder) => kind switch
    {
        "sqlite" => await SqliteRunRecorder.OpenAsync(Path.Combine(folder, "lute.db")),
        "postgresql" => await PostgresRecorders.OpenAsync(),
        _ => new InMemoryRunRecorder(),
    };

    public static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static NewRun Started(string task = "Index", string host = "node-1", int runnerPid = 4321) => new()
    {
        Task = task,
        TaskFullName = task + "_01",
        Description = "indexes the café's 東京 data 🚀",
        TaskFile = "/work/tasks.yaml",
        Executor = "local",
        Experiment = "mfx",
        ExperimentRun = "0007",
        StartedAt = Start,
        Host = host,
        RunnerPid = runnerPid,
        Command = ["python3", "index.py", "--note", "it's \"quoted\""],
        Parameters = new Dictionary<string, string> { ["zz"] = "Grüße", ["aa"] = "1", ["Q"] = "don't" },
        Environment = new Dictionary<string, string?> { ["MODE"] = "fast", ["GONE"] = null },
        WorkDirectory = "/work/w",
    };

    public static LaunchedRun Launched() => new()
    {
        TaskPid = 5555,
        Details = new Dictionary<string, string> { ["pid"] = "5555", ["pgid"] = "5555" },
        Communicators = ["standard output and error", "unix socket /tmp/s.sock"],
        LogPath = "/logs/1-Index_01.log",
        Environment = new Dictionary<string, string?> { ["MODE"] = "fast", ["GONE"] = null, ["LUTE_RUN_ID"] = "1" },
    };

    public static FinishedRun Finished() => new()
    {
        Status = RunStatus.Failed,
        ExitCode = 3,
        Signal = 15,
        Reason = "exit code 3; the task reported: it's broken",
        LaunchFailed = true,
        EndedAt = Start.AddMinutes(3).AddTicks(1),
        Summary = new Dictionary<string, string> { ["mood"] = "🚀 it's", ["count"] = "3" },
        Payload = Json("""{"note":"it\u0027s a caf\u00e9 \ud83d\ude80","nested":{"b":[1,true,null],"a":"東京"},"n":1.50}"""),
        Metadata = new Dictionary<string, JsonElement> { ["zeta"] = Json("""{"nested":[1,2.50,{"ü":null}]}"""), ["alpha"] = Json("\"é\"") },
        Details = new Dictionary<string, string> { ["pid"] = "5555", ["pgid"] = "5555", ["slurm_job_id"] = "77" },
        LogPath = "/logs/1-Index_01.log",
        ReportPath = "/logs/1-Index_01.report.html",
        Undelivered = [new UndeliveredEntry("webhook.post", "done", Start.AddSeconds(1), "POST", "http://h/x", null, "{\"a\":1}", "HTTP 500", 3)],
        HookErrors = [new HookErrorEntry("webhook.post", "done", Start.AddSeconds(2), "POST failed after 3 attempt(s)")],
    };
}
