using System.Globalization;
using Lute.Host.Running;
using Lute.Tests.Support;

namespace Lute.Tests.Integration;

/// <summary><c>lute logs RUN</c>: a run's log, the task's lines alone, and a live run followed to its end.</summary>
[Collection(ProcessCollection.Name)]
public sealed class LogsCommandSpecs
{
    [Fact]
    public async Task The_log_of_a_finished_run_is_printed_whole_and_task_only_leaves_out_the_runners_lines()
    {
        using var workspace = Workspace.Create();
        var (code, _) = await workspace.RunTaskAsync("""
            tasks:
              Talks:
                command: [sh, -c, 'echo first; echo second >&2']
            """);
        Assert.Equal(ExitCodes.Completed, code);
        var run = await workspace.LatestRunAsync();
        var id = run.Id.ToString(CultureInfo.InvariantCulture);

        var (allCode, all) = await workspace.LuteAsync("logs", id);
        var (taskCode, task) = await workspace.LuteAsync("logs", id, "--task-only");

        Assert.Equal((0, 0), (allCode, taskCode));
        Assert.Equal(File.ReadAllLines(run.LogPath!), all.Stdout);
        Assert.Contains(all.Stdout, l => l.Contains("[runner] Run ", StringComparison.Ordinal));
        Assert.Equal(["[Talks stderr] second", "[Talks stdout] first"], task.Stdout.Select(l => l[(l.IndexOf('[', StringComparison.Ordinal))..]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Follow_prints_what_a_live_run_writes_and_ends_with_the_run()
    {
        using var workspace = Workspace.Create();
        // The task waits on a FIFO until the test writes to it: no timing in the test.
        var gate = workspace.PathOf("go");
        using (var mkfifo = ChildProcess.Start("mkfifo", [gate], workspace.Root))
        {
            Assert.Equal(0, await mkfifo.WaitForExitAsync(Workspace.DefaultTimeout));
        }

        var tasks = workspace.Write("tasks.yaml", $$"""
            tasks:
              Live:
                command: [sh, -c, 'echo before; read go < "{{gate}}"; echo after']
            """);
        using var lute = workspace.Start(["run", tasks], resetSignals: true);
        await lute.WaitForLineAsync(l => l.EndsWith("[Live stdout] before", StringComparison.Ordinal), Workspace.DefaultTimeout);
        var id = (await workspace.LatestRunAsync()).Id.ToString(CultureInfo.InvariantCulture);

        using var logs = workspace.Start(["logs", id, "-f", "--task-only"]);
        await logs.WaitForLineAsync(l => l.EndsWith("[Live stdout] before", StringComparison.Ordinal), Workspace.DefaultTimeout);
        await File.WriteAllTextAsync(gate, "go\n");

        Assert.Equal(ExitCodes.Completed, await lute.WaitForExitAsync(Workspace.DefaultTimeout));
        Assert.True(await logs.WaitForExitAsync(Workspace.DefaultTimeout) == 0, logs.Output);
        Assert.Contains(logs.Stdout, l => l.EndsWith("[Live stdout] after", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Stdout, l => l.Contains("[runner]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Follow_ends_when_the_runner_dies_without_ending_the_run()
    {
        using var workspace = Workspace.Create();
        var tasks = workspace.Write("tasks.yaml", """
            tasks:
              Killed:
                command: [sh, -c, 'echo ready; exec sleep 600']
            """);
        using var lute = workspace.Start(["run", tasks], resetSignals: true);
        await lute.WaitForLineAsync(l => l.EndsWith("[Killed stdout] ready", StringComparison.Ordinal), Workspace.DefaultTimeout);
        var id = (await workspace.LatestRunAsync()).Id.ToString(CultureInfo.InvariantCulture);
        using var logs = workspace.Start(["logs", id, "-f"]);
        await logs.WaitForLineAsync(l => l.Contains("[runner] Run ", StringComparison.Ordinal), Workspace.DefaultTimeout);

        lute.Signal(9);

        Assert.True(await logs.WaitForExitAsync(Workspace.DefaultTimeout) == 0, logs.Output);
    }

    [Fact]
    public async Task A_run_that_does_not_exist_is_bad_input()
    {
        using var workspace = Workspace.Create();
        await workspace.RunTaskAsync("tasks:\n  One:\n    command: [\"true\"]\n");

        var (code, logs) = await workspace.LuteAsync("logs", "42");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(logs.Stderr, l => l.Contains("there is no run 42", StringComparison.Ordinal));
    }
}
