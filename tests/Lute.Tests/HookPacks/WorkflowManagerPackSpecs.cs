using System.Text.Json;
using Lute.Contracts;
using Lute.Host.Running;
using Lute.Tests.Integration;
using Lute.Tests.Support;

namespace Lute.Tests.HookPacks;

[Collection(ProcessCollection.Name)]
public sealed class WorkflowManagerPackSpecs
{
    private static string Task(string body) => $$"""
        tasks:
          Index:
            command: [python3, task.py]
            environment: { prepend: { PYTHONPATH: "{{Repo.PythonClient}}" } }
        """ + body;

    private static Workspace Create(string script)
    {
        var workspace = Workspace.Create();
        workspace.Link(Repo.Plugin("Lute.Hooks.WorkflowManager"));
        workspace.Write("task.py", script);
        workspace.WriteConfig("""
            hooks:
              - use: workflow.manager
                on: [launched, started, log, metadata, request, run_end]
                settings: { managed_task: IndexManaged, http: { retries: 1, retry_delay: 20ms } }
            """);
        return workspace;
    }

    private const string Script = """
        import json, lute_task
        with lute_task.connect() as lute:
            lute.started()
            lute.log("hello manager")
            lute.metadata({"n_events": "100"})
            try:
                tasks = lute.request("RUNNING_TASKS")
                print("tasks: " + json.dumps(tasks, sort_keys=True))
            except lute_task.LuteError as error:
                print("refused: " + str(error))
            lute.done()
        """;

    [Fact]
    public async Task A_plain_command_is_reported_STARTED_and_RUNNING_once_at_launch_then_its_outcome()
    {
        await using var server = await FacilityServer.StartAsync();
        using var workspace = Create(string.Empty);

        var (code, process) = await workspace.RunTaskAsync("""
            tasks:
              Plain:
                command: ["true"]
            """, new Dictionary<string, string?> { ["LUTE_MANAGER_URL"] = server.HostAndPort });

        Assert.True(code == ExitCodes.Completed, process.Output);
        Assert.Equal(
            ["STARTED", "RUNNING", "COMPLETED"],
            server.Requests.Where(r => r.Path == "/status").Select(r => r.Json.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Reports_status_changes_and_log_lines_in_order_and_answers_running_tasks_from_the_manager()
    {
        await using var server = await FacilityServer.StartAsync();
        server.Answer("/tasks", Reply.Json("""[{"task": "FindPeaks", "status": "RUNNING"}]"""));
        using var workspace = Create(Script);

        // LUTE's variable holds host:port, without a scheme.
        var (code, process) = await workspace.RunTaskAsync(Task(string.Empty), new Dictionary<string, string?> { ["LUTE_MANAGER_URL"] = server.HostAndPort, ["LUTE_EXECUTOR_HOST"] = "node42" });

        Assert.True(code == ExitCodes.Completed, process.Output);
        var requests = server.Requests;
        string Describe(ReceivedRequest r) => r.Method == "GET"
            ? $"GET {r.Path}"
            : r.Path == "/status" ? $"status {r.Json.GetProperty("status").GetString()}" : $"log {r.Json.GetProperty("message").GetString()}";
        Assert.Equal(
            ["status STARTED", "status RUNNING", "log hello manager", "status RUNNING", "GET /tasks", """log tasks: [{"status": "RUNNING", "task": "FindPeaks"}]""", "status COMPLETED"],
            requests.Select(Describe));
        var started = requests[0].Json;
        Assert.Equal("IndexManaged", started.GetProperty("managed_task").GetString());
        Assert.Equal("Index", started.GetProperty("task").GetString());
        Assert.Equal("node42", started.GetProperty("executor_hostname").GetString());
        Assert.Equal("100", requests[3].Json.GetProperty("n_events").GetString());
        Assert.Equal("IndexManaged", requests[2].Json.GetProperty("managed_task").GetString());
        Assert.Empty((await workspace.LatestRunAsync()).Undelivered);
    }

    [Fact]
    public async Task Without_a_manager_it_does_nothing_and_a_running_tasks_request_is_refused_at_once()
    {
        using var workspace = Create("""
            import lute_task
            with lute_task.connect() as lute:
                try:
                    lute.request("RUNNING_TASKS")
                except lute_task.LuteError as error:
                    print("refused: " + str(error))
            """);

        var (code, process) = await workspace.RunTaskAsync(Task(string.Empty), new Dictionary<string, string?> { ["LUTE_MANAGER_URL"] = null });

        Assert.True(code == ExitCodes.Completed, process.Output);
        Assert.Contains(process.Stderr, l => l.Contains("refused: the runner refused the request: no workflow manager is configured", StringComparison.Ordinal));
        var run = await workspace.LatestRunAsync();
        Assert.Empty(run.Undelivered);
        Assert.Empty(run.HookErrors);
    }

    [Fact]
    public async Task A_manager_that_is_down_loses_no_status_and_the_task_completes()
    {
        using var workspace = Create(Script);

        var (code, process) = await workspace.RunTaskAsync(
            Task(string.Empty),
            new Dictionary<string, string?> { ["LUTE_MANAGER_URL"] = $"127.0.0.1:{WebhookPackSpecs.ClosedPort()}" });

        Assert.True(code == ExitCodes.Completed, process.Output);
        Assert.Contains(process.Stderr, l => l.Contains("refused: the runner refused the request: hook 'workflow.manager' failed: GET http://127.0.0.1:", StringComparison.Ordinal));
        var run = await workspace.LatestRunAsync();
        Assert.Equal(RunStatus.Completed, run.Status);
        var undelivered = run.Undelivered;
        Assert.Equal("launched", undelivered[0].Event);
        Assert.Equal("done", undelivered[^1].Event);
        Assert.Contains("\"status\":\"COMPLETED\"", undelivered[^1].Body, StringComparison.Ordinal);
        Assert.Contains(undelivered, u => u.Event == "request" && u.Method == "GET");
    }
}
