using System.Text.Json;
using Lute.Contracts;
using Lute.Host.Store;

namespace Lute.Tests.Support;

/// <summary>Two runs with fixed values: one with every field set, one whose launch failed.</summary>
internal static class PinnedRuns
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 14, 11, 52, 884, TimeSpan.Zero);

    private static readonly CancellationToken None = CancellationToken.None;

    private static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static async Task WriteAsync(string storePath)
    {
        await using var store = await SqliteRunRecorder.OpenAsync(storePath);
        var full = await store.StartedAsync(new NewRun
        {
            Task = "Index",
            TaskFullName = "Index_01",
            Description = "indexes the café's data ☕",
            TaskFile = "/data/tasks.yaml",
            Executor = "local",
            Experiment = "mfx-é",
            ExperimentRun = "0042",
            StartedAt = Start,
            Host = "node-7",
            RunnerPid = 4242,
            Command = ["python3", "index.py", "--note", "it's \"quoted\"\ttab"],
            Parameters = new Dictionary<string, string> { ["zz"] = "Grüße", ["quote"] = "don't", ["aa"] = "1" },
            Environment = new Dictionary<string, string?> { ["MODE"] = "fast ünïcode", ["DROP_ME"] = null },
            WorkDirectory = "/data/work",
        }, None);
        await store.LaunchedAsync(full, new LaunchedRun
        {
            TaskPid = 4243,
            Details = new Dictionary<string, string> { ["pid"] = "4243", ["pgid"] = "4243" },
            Communicators = ["standard output and error", "unix socket /tmp/lute-x/task.sock"],
            LogPath = "/data/logs/1-Index_01.log",
            Environment = new Dictionary<string, string?> { ["MODE"] = "fast ünïcode", ["DROP_ME"] = null, ["LUTE_RUN_ID"] = "1" },
        }, None);
        await store.FinishedAsync(full, new FinishedRun
        {
            Status = RunStatus.Failed,
            ExitCode = 3,
            Reason = "exit code 3; the task reported: it's \"broken\"\nsee the log",
            EndedAt = Start.AddSeconds(2.5),
            Summary = new Dictionary<string, string> { ["mood"] = "🚀 it's", ["count"] = "3" },
            Payload = Json("""{"note":"it\u0027s a caf\u00e9 \ud83d\ude80","nested":{"b":[1,true,null],"a":"東京"},"n":1.50,"empty":{},"none":[]}"""),
            Metadata = new Dictionary<string, JsonElement> { ["zeta"] = Json("""{"nested":[1,2.50,{"ü":null}]}"""), ["alpha"] = Json("\"é\"") },
            Details = new Dictionary<string, string> { ["pid"] = "4243", ["pgid"] = "4243", ["slurm_allocation"] = "777" },
            LogPath = "/data/logs/1-Index_01.log",
            ReportPath = "/data/logs/1-Index_01.report.html",
            Undelivered = [new UndeliveredEntry("webhook.post", "done", Start.AddSeconds(3), "POST", "http://127.0.0.1:9/hooks/runs", null, "{\"event\":\"done\"}", "cannot reach the service", 2)],
            HookErrors = [new HookErrorEntry("webhook.post", "done", Start.AddSeconds(3.25), "POST failed after 2 attempt(s)")],
        }, None);
        var unlaunched = await store.StartedAsync(new NewRun
        {
            Task = "NoLaunch",
            Executor = "local",
            StartedAt = Start.AddMinutes(1),
            Host = "node-7",
            RunnerPid = 4300,
            Command = ["/nonexistent/prog"],
            Parameters = new Dictionary<string, string>(),
            Environment = new Dictionary<string, string?>(),
        }, None);
        await store.FinishedAsync(unlaunched, new FinishedRun
        {
            Status = RunStatus.Failed,
            Reason = "program '/nonexistent/prog' does not exist",
            LaunchFailed = true,
            EndedAt = Start.AddMinutes(1).AddMilliseconds(188),
            LogPath = "/data/logs/2-NoLaunch.log",
        }, None);
    }
}
