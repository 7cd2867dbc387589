using Lute.Contracts;
using Lute.Host.Running;
using Lute.Tests.Support;

namespace Lute.Tests.Integration;

[Collection(ProcessCollection.Name)]
public sealed class HookEventSpecs
{
    private static string PythonTask(string name, string extra = "") => $$"""
        tasks:
          {{name}}:
            command: [python3, {{name}}.py]
            environment: { prepend: { PYTHONPATH: "{{Repo.PythonClient}}" } }
        {{extra}}
        """;

    [Fact]
    public async Task Every_event_of_the_life_cycle_reaches_the_hooks()
    {
        using var workspace = Workspace.Create("Lute.TestPlugins.Hooks");
        var events = workspace.PathOf("events.txt");
        workspace.WriteConfig($$"""
            hooks:
              - { use: test.record, on: ["*"], settings: { path: "{{events}}" } }
              - { use: test.answer, on: [request] }
              - { use: test.control, on: [started, stopped], settings: { stop_on: started, continue_on: stopped } }
            """);
        workspace.Write("Everything.py", """
            import lute_task
            with lute_task.connect() as lute:
                lute.started()
                lute.log("a log line")
                lute.metadata({"detector": "epix"})
                assert lute.request({"question": 1}) == {"echo": {"question": 1}}
                lute.send("TASK_PROGRESS", {"percent": 50})
                lute.send("TASK_STOPPED")
                lute.result(payload=1, summary={"k": "v"})
                lute.done()
            print("a line on stdout", flush=True)
            """);
        workspace.Write("Failing.py", "import lute_task\nwith lute_task.connect() as lute:\n    lute.failed('no peaks')\n");
        workspace.Write("Cancelling.py", "import lute_task\nwith lute_task.connect() as lute:\n    lute.cancelled()\n");

        var everything = await workspace.RunTaskAsync(PythonTask("Everything"), "everything.yaml");
        var failing = await workspace.RunTaskAsync(PythonTask("Failing"), "failing.yaml");
        var cancelling = await workspace.RunTaskAsync(PythonTask("Cancelling"), "cancelling.yaml");
        var slow = await workspace.RunTaskAsync("""
            tasks:
              Slow:
                command: [sleep, "600"]
                timeout: 500ms
                grace_period: 2s
            """, "slow.yaml");

        Assert.True(everything.ExitCode == ExitCodes.Completed, everything.Process.Output);
        Assert.True(failing.ExitCode == ExitCodes.Failed, failing.Process.Output);
        Assert.True(cancelling.ExitCode == ExitCodes.Cancelled, cancelling.Process.Output);
        Assert.True(slow.ExitCode == ExitCodes.TimedOut, slow.Process.Output);
        var lines = await File.ReadAllLinesAsync(events);
        var seen = lines.Select(l => l.Split('|')[0]).ToHashSet();
        var every = HookEvents.All.Except([HookEvents.Any, HookEvents.RunEnd]).ToHashSet();
        Assert.Empty(every.Except(seen));
        Assert.Empty(seen.Except(every));
        // The runner's own stop and continue (asked by a hook) reach hooks in order.
        Assert.True(Array.IndexOf(lines, "stopped|Stopped") < Array.IndexOf(lines, "continued|Running"), string.Join('\n', lines));
        Assert.Contains("message|TASK_PROGRESS:Object", lines);
    }

    [Fact]
    public async Task A_hook_can_cancel_the_task_and_add_to_its_summary()
    {
        using var workspace = Workspace.Create("Lute.TestPlugins.Hooks");
        workspace.WriteConfig("""
            hooks:
              - { use: test.control, on: [started], settings: { cancel_on: started, summary_on: started } }
            """);
        workspace.Write("Waiting.py", "import time, lute_task\nwith lute_task.connect() as lute:\n    lute.started()\n    time.sleep(600)\n");

        var (code, process) = await workspace.RunTaskAsync(PythonTask("Waiting", "    grace_period: 2s"));

        Assert.True(code == ExitCodes.Cancelled, process.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.Equal("test.control cancels", run.Reason);
        Assert.Equal("started", run.SummaryValues()["control-saw"]);
    }
}
