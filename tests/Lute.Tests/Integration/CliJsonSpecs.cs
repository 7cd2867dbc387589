using System.Globalization;
using System.Text.Json;
using Lute.Contracts;
using Lute.Host.Running;
using Lute.Tests.Support;

namespace Lute.Tests.Integration;

/// <summary><c>--json</c> on the commands that report: one document on standard output, the shape of docs/cli-json.md.</summary>
[Collection(ProcessCollection.Name)]
public sealed class CliJsonSpecs
{
    // Quotes, a backslash, a line break, an escape sequence and a closing brace: none may end or bend the document.
    private const string Hostile = "say \"}\\n\u001b[31mred\u001b[0m\nnext line";

    [Fact]
    public async Task Run_prints_its_outcome_as_one_document_and_exits_with_its_code()
    {
        using var workspace = Workspace.Create();
        var tasks = workspace.Write("tasks.yaml", """
            tasks:
              Fails:
                command: [sh, -c, 'echo working; exit 3']
            """);

        var (code, lute) = await workspace.LuteAsync("run", tasks, "--json");

        using var json = Document(lute);
        var root = json.RootElement;
        Assert.Equal(ExitCodes.Failed, code);
        Assert.Equal(("run", 1), (root.GetProperty("command").GetString(), root.GetProperty("version").GetInt32()));
        var run = root.GetProperty("run");
        Assert.Equal(("FAILED", 3, "exit code 3"), (run.GetProperty("status").GetString(), run.GetProperty("exit_code").GetInt32(), run.GetProperty("reason").GetString()));
        Assert.True(root.GetProperty("recorded").GetBoolean());
        Assert.Equal(code, root.GetProperty("exit_code").GetInt32());
        Assert.Equal((await workspace.LatestRunAsync()).Id, run.GetProperty("id").GetInt64());
        Assert.EndsWith("Z", run.GetProperty("started_at").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_lists_runs_newest_first_and_show_gives_every_field_of_one_with_hostile_text_intact()
    {
        using var workspace = Workspace.Create();
        var tasks = workspace.Write("tasks.yaml", """
            tasks:
              Talks:
                command: [python3, -c, 'import json, os, socket; s = socket.socket(socket.AF_UNIX); s.connect(os.environ["LUTE_SOCKET"]); s.sendall((json.dumps({"v": 1, "signal": "TASK_RESULT", "contents": {"payload": {"peaks": [1, 2]}, "summary": {"note": os.environ["NOTE"]}}}) + "\n").encode()); s.close()']
                environment: { set: { NOTE: "{{ note }}" } }
                parameters: { note: "x" }
              Quiet:
                command: ["true"]
            """);
        File.WriteAllText(tasks, File.ReadAllText(tasks).Replace("note: \"x\"", $"note: {JsonSerializer.Serialize(Hostile)}", StringComparison.Ordinal));
        Assert.Equal(0, (await workspace.LuteAsync("run", tasks, "Talks")).ExitCode);
        Assert.Equal(0, (await workspace.LuteAsync("run", tasks, "Quiet")).ExitCode);

        var (historyCode, history) = await workspace.LuteAsync("history", "--json");
        var (showCode, show) = await workspace.LuteAsync("show", "1", "--json");

        Assert.Equal((0, 0), (historyCode, showCode));
        using var list = Document(history);
        Assert.Equal(["Quiet", "Talks"], list.RootElement.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("task").GetString()));
        Assert.True(list.RootElement.GetProperty("store_exists").GetBoolean());
        using var one = Document(show);
        var run = one.RootElement.GetProperty("run");
        var recorded = (await workspace.RunsAsync()).Single(r => r.Task == "Talks");
        Assert.Equal(recorded.Id, run.GetProperty("id").GetInt64());
        Assert.Equal(Hostile, run.GetProperty("summary").GetProperty("note").GetString());
        Assert.Equal(Hostile, run.GetProperty("parameters").GetProperty("note").GetString());
        Assert.Equal([1, 2], run.GetProperty("payload").GetProperty("peaks").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(("COMPLETED", true, 0), (run.GetProperty("status").GetString(), run.GetProperty("finished").GetBoolean(), run.GetProperty("exit_code").GetInt32()));
        Assert.Equal(recorded.Communicators, run.GetProperty("communicators").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(recorded.Duration!.Value.TotalSeconds, run.GetProperty("duration_seconds").GetDouble(), 3);
    }

    [Fact]
    public async Task History_without_a_store_says_so_in_the_document_and_creates_nothing()
    {
        using var workspace = Workspace.Create();

        var (code, history) = await workspace.LuteAsync("history", "--json");

        Assert.Equal(0, code);
        using var json = Document(history);
        Assert.False(json.RootElement.GetProperty("store_exists").GetBoolean());
        Assert.Empty(json.RootElement.GetProperty("runs").EnumerateArray());
        Assert.False(File.Exists(workspace.StorePath));
    }

    [Fact]
    public async Task Plugins_lists_each_plugin_with_its_components_and_the_built_in_communicators()
    {
        using var workspace = Workspace.Create();

        var (code, plugins) = await workspace.LuteAsync("plugins", "--json");

        Assert.Equal(0, code);
        using var json = Document(plugins);
        var local = json.RootElement.GetProperty("plugins").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "Lute.Executors.Local");
        Assert.Equal("loaded", local.GetProperty("state").GetString());
        Assert.Equal(ContractVersion.Text, json.RootElement.GetProperty("contracts").GetString());
        Assert.Contains(local.GetProperty("components").EnumerateArray(), c => c.GetProperty("kind").GetString() == "executor" && c.GetProperty("name").GetString() == "local");
        Assert.Equal(["unix", "tcp"], json.RootElement.GetProperty("built_in").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Status_of_a_job_nothing_knows_is_a_document_and_bad_input()
    {
        using var workspace = Workspace.Create();

        var (code, status) = await workspace.LuteAsync("status", "987654321", "--json");

        Assert.Equal(ExitCodes.BadInput, code);
        using var json = Document(status);
        Assert.Equal("987654321", json.RootElement.GetProperty("job").GetString());
        Assert.False(json.RootElement.GetProperty("known_to_slurm").GetBoolean());
        Assert.Empty(json.RootElement.GetProperty("runs").EnumerateArray());
    }

    [Fact]
    public async Task Submit_dry_run_gives_the_script_in_the_document()
    {
        using var workspace = Workspace.Create();
        var tasks = workspace.Write("tasks.yaml", """
            tasks:
              Batch:
                command: ["true"]
            """);

        var (code, submit) = await workspace.LuteAsync("submit", tasks, "--dry-run", "--json");

        Assert.Equal(0, code);
        using var json = Document(submit);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("job").ValueKind);
        Assert.StartsWith("#!", json.RootElement.GetProperty("script").GetString(), StringComparison.Ordinal);
        Assert.Contains("run", json.RootElement.GetProperty("script").GetString(), StringComparison.Ordinal);
        Assert.Contains(tasks, json.RootElement.GetProperty("script").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_ends_a_running_task_through_its_runner_and_the_run_is_recorded_cancelled()
    {
        using var workspace = Workspace.Create();
        var tasks = workspace.Write("tasks.yaml", """
            tasks:
              Waits:
                command: [sh, -c, 'echo ready; exec sleep 600']
                grace_period: 5s
            """);
        using var lute = workspace.Start(["run", tasks], resetSignals: true);
        await lute.WaitForLineAsync(l => l.EndsWith("[Waits stdout] ready", StringComparison.Ordinal), Workspace.DefaultTimeout);
        var id = (await workspace.LatestRunAsync()).Id.ToString(CultureInfo.InvariantCulture);

        var (cancelCode, cancel) = await workspace.LuteAsync("cancel", id);
        var runCode = await lute.WaitForExitAsync(Workspace.DefaultTimeout);

        Assert.True(cancelCode == 0, cancel.Output);
        Assert.True(runCode == ExitCodes.Cancelled, lute.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.Contains("SIGTERM", run.Reason, StringComparison.Ordinal);
        var (againCode, again) = await workspace.LuteAsync("cancel", id);
        Assert.Equal(ExitCodes.BadInput, againCode);
        Assert.Contains(again.Stderr, l => l.Contains("has already ended", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_run_whose_runner_is_gone_is_not_signalled_and_the_error_says_how_to_repair_it()
    {
        using var workspace = Workspace.Create();
        var tasks = workspace.Write("tasks.yaml", """
            tasks:
              Orphan:
                command: [sh, -c, 'echo ready; exec sleep 600']
            """);
        using var lute = workspace.Start(["run", tasks], resetSignals: true);
        await lute.WaitForLineAsync(l => l.EndsWith("[Orphan stdout] ready", StringComparison.Ordinal), Workspace.DefaultTimeout);
        var id = (await workspace.LatestRunAsync()).Id.ToString(CultureInfo.InvariantCulture);
        lute.Signal(9);
        await lute.WaitForExitAsync(Workspace.DefaultTimeout);

        var (code, cancel) = await workspace.LuteAsync("cancel", id);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(cancel.Stderr, l => l.Contains("is gone; 'lute history --repair' marks the run ABANDONED", StringComparison.Ordinal));
    }

    private static JsonDocument Document(ChildProcess process)
    {
        var text = string.Join('\n', process.Stdout);
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new Xunit.Sdk.XunitException($"standard output is not one JSON document ({e.Message}):\n{process.Output}");
        }
    }
}
