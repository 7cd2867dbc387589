using System.Globalization;
using Lute.Contracts;
using Lute.Host.Running;
using Lute.Tests.Integration;
using Lute.Tests.Support;

namespace Lute.Tests.Reliability;

/// <summary>Whatever the task does, the run ends with a recorded result and leaves no process behind.</summary>
[Collection(ProcessCollection.Name)]
public sealed class TaskFaultSpecs
{
    private const int SigTerm = 15;

    [Fact]
    public async Task Children_a_task_leaves_behind_are_ended_with_the_run()
    {
        using var workspace = Workspace.Create();
        // Two children that ignore SIGTERM and outlive the task's own process, which exits at once.
        var (code, process) = await workspace.RunTaskAsync("""
            tasks:
              Forker:
                shell: |
                  trap '' TERM
                  sleep 600 & echo $! > child1.pid
                  sh -c 'trap "" TERM; exec sleep 601' & echo $! > child2.pid
                  echo forked
            """);

        Assert.True(code == ExitCodes.Completed, process.Output);
        foreach (var file in new[] { "child1.pid", "child2.pid" })
        {
            var pid = ProcessTable.ReadPid(workspace.PathOf(file));
            var state = await ProcessTable.WaitForStateAsync(pid, s => s is null or 'Z' or 'X', Workspace.DefaultTimeout);
            Assert.True(state is null or 'Z' or 'X', $"child {pid} outlived the run (state {state})");
        }

        Assert.Equal(RunStatus.Completed, (await workspace.LatestRunAsync()).Status);
    }

    [Fact]
    public async Task A_task_that_closes_its_output_early_and_never_connects_still_ends_with_its_result()
    {
        using var workspace = Workspace.Create();
        var (code, process) = await workspace.RunTaskAsync("""
            tasks:
              Quiet:
                shell: 'echo last words; exec 1>&- 2>&-; sleep 0.2; exit 7'
            """);

        Assert.True(code == ExitCodes.Failed, process.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(7, run.ExitCode);
        Assert.Contains("last words", await File.ReadAllTextAsync(run.LogPath!), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_task_that_stops_itself_is_noticed_and_can_be_continued_or_cancelled(bool thenContinue)
    {
        using var workspace = Workspace.Create("Lute.TestPlugins.Hooks");
        var events = workspace.PathOf("events.txt");
        workspace.WriteConfig($$"""
            hooks:
              - { use: test.record, on: [stopped, continued, done, cancelled], settings: { path: "{{events}}" } }
            """);
        var tasks = workspace.Write("tasks.yaml", """
            tasks:
              Sleeper:
                shell: 'echo stopping; kill -STOP $$; echo resumed'
                grace_period: 5s
            """);
        using var lute = workspace.Start(["run", tasks]);
        await lute.WaitForLineAsync(l => l.Contains("Task stopped: stopped by a signal lute did not send", StringComparison.Ordinal), Workspace.DefaultTimeout);
        var run = (await workspace.LatestRunAsync()).Id.ToString(CultureInfo.InvariantCulture);

        int code;
        if (thenContinue)
        {
            var (continueCode, continued) = await workspace.LuteAsync("continue", run);
            Assert.True(continueCode == 0, continued.Output);
            code = await lute.WaitForExitAsync(Workspace.DefaultTimeout);
            Assert.True(code == ExitCodes.Completed, lute.Output);
            Assert.Contains(lute.Stderr, l => l.EndsWith("[Sleeper stdout] resumed", StringComparison.Ordinal));
            Assert.Equal(["stopped|Stopped", "continued|Running", "done|Completed"], File.ReadAllLines(events));
        }
        else
        {
            lute.Signal(SigTerm);
            code = await lute.WaitForExitAsync(Workspace.DefaultTimeout);
            Assert.True(code == ExitCodes.Cancelled, lute.Output);
            // The runner continues it so that it can act on SIGTERM, which ends it at once: no SIGKILL was needed.
            Assert.DoesNotContain(lute.Stderr, l => l.Contains("grace period", StringComparison.Ordinal) && l.Contains("SIGKILL", StringComparison.Ordinal));
            Assert.Equal(["stopped|Stopped", "cancelled|Cancelled"], File.ReadAllLines(events));
        }
    }
}
