using Lute.Contracts;
using Lute.Host.Running;
using Lute.Tests.Support;

namespace Lute.Tests.Integration;

[Collection(ProcessCollection.Name)]
public sealed class HookSpecs
{
    private const string EchoTask = """
        tasks:
          Echo:
            command: [sh, -c, "echo one; echo two"]
        """;

    [Fact]
    public async Task Hooks_receive_the_life_cycle_in_order()
    {
        using var workspace = Workspace.Create("Lute.TestPlugins.Hooks");
        var events = workspace.PathOf("events.txt");
        workspace.WriteConfig($$"""
            hooks:
              - { use: test.record, settings: { path: "{{events}}" } }
            """);

        var (code, process) = await workspace.RunTaskAsync(EchoTask);

        Assert.True(code == ExitCodes.Completed, process.Output);
        var names = File.ReadAllLines(events).Select(l => l.Split('|')[0]).ToList();
        Assert.Equal(["run_start", "launched", "log", "log", "exited", "done"], names);
        Assert.Contains("log|StandardOutput:two", File.ReadAllLines(events));
    }

    [Fact]
    public async Task A_hook_that_throws_is_logged_and_the_run_goes_on()
    {
        using var workspace = Workspace.Create("Lute.TestPlugins.Hooks");
        var events = workspace.PathOf("events.txt");
        workspace.WriteConfig($$"""
            hooks:
              - { use: test.throw }
              - { use: test.record, on: [run_end], settings: { path: "{{events}}" } }
            """);

        var (code, process) = await workspace.RunTaskAsync(EchoTask);

        Assert.True(code == ExitCodes.Completed, process.Output);
        Assert.Contains(process.Stderr, l => l.Contains("Hook test.throw failed on event launched", StringComparison.Ordinal));
        Assert.Equal(["done|Completed"], File.ReadAllLines(events));
    }

    [Fact]
    public async Task A_hook_that_hangs_is_abandoned_after_its_limit_and_not_called_again()
    {
        using var workspace = Workspace.Create("Lute.TestPlugins.Hooks");
        var events = workspace.PathOf("events.txt");
        workspace.WriteConfig($$"""
            hooks:
              - { use: test.hang, timeout: 500ms }
              - { use: test.record, on: [done], settings: { path: "{{events}}" } }
            """);

        var (code, process) = await workspace.RunTaskAsync(EchoTask);

        Assert.True(code == ExitCodes.Completed, process.Output);
        Assert.Single(process.Stderr, l => l.Contains("Hook test.hang exceeded its 0.5s limit on event run_start", StringComparison.Ordinal));
        Assert.Equal(["done|Completed"], File.ReadAllLines(events));
    }

    [Fact]
    public async Task A_critical_hook_that_fails_fails_the_run_with_the_reason()
    {
        using var workspace = Workspace.Create("Lute.TestPlugins.Hooks");
        workspace.WriteConfig("hooks:\n  - { use: test.throw, on: [started], critical: true }");

        var (code, process) = await workspace.RunTaskAsync($$"""
            tasks:
              Critical:
                command: [sh, -c, 'lute emit started; echo ready; sleep 600']
                environment: { prepend: { PATH: "{{Repo.LuteDirectory}}" } }
                grace_period: 2s
            """);

        Assert.True(code == ExitCodes.Failed, process.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("critical hook 'test.throw' failed on event 'started'", run.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hooks_bound_to_other_tasks_are_not_called()
    {
        using var workspace = Workspace.Create("Lute.TestPlugins.Hooks");
        var events = workspace.PathOf("events.txt");
        workspace.WriteConfig($$"""
            hooks:
              - { use: test.record, tasks: [SomethingElse], settings: { path: "{{events}}" } }
            """);

        var (code, process) = await workspace.RunTaskAsync(EchoTask);

        Assert.True(code == ExitCodes.Completed, process.Output);
        Assert.False(File.Exists(events));
    }

    [Fact]
    public async Task The_counting_hook_counts_every_log_line_and_measures_the_stamped_ones()
    {
        using var workspace = Workspace.Create("Lute.TestPlugins.Hooks");
        var counts = workspace.PathOf("counts.json");
        workspace.WriteConfig($$"""
            hooks:
              - { use: test.count, on: [log, run_end], settings: { path: "{{counts}}" } }
            """);

        var (code, process) = await workspace.RunTaskAsync("""
            tasks:
              Stamps:
                command: [sh, -c, 'echo plain; for i in 1 2 3; do echo "t=$(date +%s%6N) $i"; done']
            """);

        Assert.True(code == ExitCodes.Completed, process.Output);
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(counts));
        var root = document.RootElement;
        Assert.Equal(4, root.GetProperty("count").GetInt64());
        Assert.True(root.GetProperty("last_us").GetInt64() >= root.GetProperty("first_us").GetInt64());
        Assert.Equal(3, root.GetProperty("latencies_us").GetArrayLength());
    }
}
