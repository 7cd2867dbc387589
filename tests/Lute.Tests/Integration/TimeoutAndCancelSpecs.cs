using Lute.Contracts;
using Lute.Host.Running;
using Lute.Tests.Support;

namespace Lute.Tests.Integration;

[Collection(ProcessCollection.Name)]
public sealed class TimeoutAndCancelSpecs
{
    private const int SigHup = 1;
    private const int SigInt = 2;
    private const int SigTerm = 15;
    private const int SigKill = 9;

    // A task that ignores SIGTERM, starts a child that ignores it too, records both PIDs and says it is ready.
    private const string Stubborn = """
        trap '' TERM
        sleep 600 &
        echo $! > child.pid
        echo $$ > main.pid
        echo ready
        wait
        """;

    [Fact]
    public async Task Task_that_ignores_SIGTERM_is_killed_after_the_grace_period_and_recorded_timed_out()
    {
        using var workspace = Workspace.Create();
        workspace.Write("stubborn.sh", Stubborn);
        var (code, process) = await workspace.RunTaskAsync("""
            tasks:
              Stubborn:
                command: [sh, stubborn.sh]
                timeout: 1s
                grace_period: 1s
            """);

        Assert.True(code == ExitCodes.TimedOut, process.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Equal(RunStatus.TimedOut, run.Status);
        Assert.Contains("time limit", run.Reason, StringComparison.Ordinal);
        AssertGone(workspace);
    }

    [Theory]
    [InlineData(SigTerm)]
    [InlineData(SigInt)]
    [InlineData(SigHup)]
    public async Task Signal_to_lute_run_cancels_the_task_group_and_records_cancelled(int signal)
    {
        using var workspace = Workspace.Create();
        using var lute = await StartStubbornAsync(workspace, "1s");

        lute.Signal(signal);
        var code = await lute.WaitForExitAsync(Workspace.DefaultTimeout);

        Assert.True(code == ExitCodes.Cancelled, lute.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.Contains(signal switch { SigTerm => "SIGTERM", SigInt => "SIGINT", _ => "SIGHUP" }, run.Reason, StringComparison.Ordinal);
        AssertGone(workspace);
    }

    [Fact]
    public async Task A_second_signal_ends_the_task_without_waiting_for_the_grace_period()
    {
        using var workspace = Workspace.Create();
        using var lute = await StartStubbornAsync(workspace, "1h");

        lute.Signal(SigInt);
        await lute.WaitForLineAsync(l => l.Contains("Cancelling the run", StringComparison.Ordinal), Workspace.DefaultTimeout);
        lute.Signal(SigInt);
        var code = await lute.WaitForExitAsync(Workspace.DefaultTimeout);

        Assert.True(code == ExitCodes.Cancelled, lute.Output);
        Assert.Contains(lute.Stderr, l => l.Contains("Ending the task now, without the grace period", StringComparison.Ordinal));
        AssertGone(workspace);
    }

    [Fact]
    public async Task Task_that_ends_on_SIGTERM_is_cancelled_gracefully_without_SIGKILL()
    {
        using var workspace = Workspace.Create();
        var tasks = workspace.Write("tasks.yaml", """
            tasks:
              Polite:
                command: [sh, -c, 'trap "echo got TERM; exit 0" TERM; echo ready; while :; do sleep 1 & wait $!; done']
                grace_period: 30s
            """);
        using var lute = workspace.Start(["run", tasks], resetSignals: true);
        await lute.WaitForLineAsync(l => l.EndsWith("[Polite stdout] ready", StringComparison.Ordinal), Workspace.DefaultTimeout);

        lute.Signal(SigTerm);
        var code = await lute.WaitForExitAsync(Workspace.DefaultTimeout);

        Assert.True(code == ExitCodes.Cancelled, lute.Output);
        Assert.Contains(lute.Stderr, l => l.EndsWith("[Polite stdout] got TERM", StringComparison.Ordinal));
        Assert.DoesNotContain(lute.Stderr, l => l.Contains("SIGKILL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Task_can_be_stopped_and_continued_from_the_command_line()
    {
        using var workspace = Workspace.Create("Lute.TestPlugins.Hooks");
        var events = workspace.PathOf("events.txt");
        workspace.WriteConfig($$"""
            hooks:
              - { use: test.record, on: [stopped, continued, done], settings: { path: "{{events}}" } }
            """);
        var tasks = workspace.Write("tasks.yaml", """
            tasks:
              Pausable:
                command: [sh, -c, 'echo $$ > main.pid; echo ready; read line < fifo; echo released']
            """);
        workspace.MakeFifo("fifo");
        using var lute = workspace.Start(["run", tasks]);
        await lute.WaitForLineAsync(l => l.EndsWith("[Pausable stdout] ready", StringComparison.Ordinal), Workspace.DefaultTimeout);
        var runId = (await workspace.LatestRunAsync()).Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var task = ProcessTable.ReadPid(workspace.PathOf("main.pid"));

        var (stopCode, stop) = await workspace.LuteAsync("stop", runId);
        await lute.WaitForLineAsync(l => l.Contains("Task stopped", StringComparison.Ordinal), Workspace.DefaultTimeout);
        var stoppedState = await ProcessTable.WaitForStateAsync(task, state => state == 'T', TimeSpan.FromSeconds(10));
        var recordedStopped = await WaitForStatusAsync(workspace, RunStatus.Stopped);
        var (_, historyWhileStopped) = await workspace.LuteAsync("history");
        var (continueCode, cont) = await workspace.LuteAsync("continue", runId);
        await lute.WaitForLineAsync(l => l.Contains("Task continued", StringComparison.Ordinal), Workspace.DefaultTimeout);
        var continuedState = await ProcessTable.WaitForStateAsync(task, state => state != 'T', TimeSpan.FromSeconds(10));
        var recordedRunning = await WaitForStatusAsync(workspace, RunStatus.Running);
        await File.WriteAllTextAsync(workspace.PathOf("fifo"), "go\n");
        var code = await lute.WaitForExitAsync(Workspace.DefaultTimeout);

        Assert.True(stopCode == 0, stop.Output);
        Assert.True(continueCode == 0, cont.Output);
        Assert.Equal('T', stoppedState);
        Assert.NotEqual('T', continuedState);
        Assert.Equal(RunStatus.Stopped, recordedStopped);
        Assert.Matches(@"^1\s+Pausable\s+local\s+STOPPED \(unfinished\)", historyWhileStopped.Stdout[1]);
        Assert.Equal(RunStatus.Running, recordedRunning);
        Assert.Equal(RunStatus.Completed, (await workspace.LatestRunAsync()).Status);
        Assert.True(code == ExitCodes.Completed, lute.Output);
        Assert.Equal(["stopped|Stopped", "continued|Running", "done|Completed"], File.ReadAllLines(events));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_killed_runner_takes_its_task_along_and_its_run_is_marked_abandoned(bool byHistoryRepair)
    {
        using var workspace = Workspace.Create();
        // The task ignores SIGTERM and starts a child that does too: only a kill ends them.
        workspace.Write("orphan.sh", """
            trap '' TERM
            sh -c 'trap "" TERM; echo $$ > child.pid; exec sleep 600' &
            echo $$ > main.pid
            while [ ! -s child.pid ]; do sleep 0.05; done
            echo ready
            exec sleep 601
            """);
        var tasks = workspace.Write("tasks.yaml", """
            tasks:
              Orphan:
                command: [sh, orphan.sh]
            """);
        using var lute = workspace.Start(["run", tasks]);
        await lute.WaitForLineAsync(l => l.EndsWith("[Orphan stdout] ready", StringComparison.Ordinal), Workspace.DefaultTimeout);
        var task = ProcessTable.ReadPid(workspace.PathOf("main.pid"));
        var child = ProcessTable.ReadPid(workspace.PathOf("child.pid"));
        try
        {
            var killedAt = DateTimeOffset.UtcNow;
            lute.Signal(SigKill);
            await lute.WaitForExitAsync(Workspace.DefaultTimeout);

            // No task process outlives its runner.
            foreach (var pid in new[] { task, child })
            {
                var state = await ProcessTable.WaitForStateAsync(pid, s => s is null or 'Z' or 'X', Workspace.DefaultTimeout);
                Assert.True(state is null or 'Z' or 'X', $"task process {pid} outlived its runner (state {state})");
            }

            var (code, history) = await workspace.LuteAsync("history");
            Assert.Equal(0, code);
            Assert.Matches(@"^1\s+Orphan\s+local\s+RUNNING \(unfinished\)", history.Stdout[1]);

            // Time passes between the runner's death and the repair, as it does on a real machine.
            await Task.Delay(TimeSpan.FromSeconds(2));
            var repairedAt = DateTimeOffset.UtcNow;
            if (byHistoryRepair)
            {
                var (repairCode, repaired) = await workspace.LuteAsync("history", "--repair");
                Assert.True(repairCode == 0, repaired.Output);
                Assert.Contains(repaired.Stdout, l => l.StartsWith($"run 1 (Orphan) marked ABANDONED: the runner (process {lute.Id} on ", StringComparison.Ordinal));
            }
            else
            {
                var (runCode, next) = await workspace.RunTaskAsync("""
                    tasks:
                      Next:
                        command: ["true"]
                    """, "next.yaml");
                Assert.True(runCode == ExitCodes.Completed, next.Output);
                Assert.Contains(next.Stderr, l => l.Contains("Run 1 (Orphan) marked ABANDONED", StringComparison.Ordinal));
            }

            var run = (await workspace.RunsAsync()).Single(r => r.Id == 1);
            Assert.Equal(RunStatus.Abandoned, run.Status);
            Assert.NotNull(run.EndedAt);
            // The end recorded is the runner's last sign of life, not the repair.
            Assert.True(run.EndedAt < killedAt.AddSeconds(1.5), $"ended {run.EndedAt:O}, killed {killedAt:O}, repaired {repairedAt:O}");
            Assert.True(run.EndedAt >= run.StartedAt);
            Assert.Contains("the task was RUNNING then", run.Reason, StringComparison.Ordinal);

            // A second repair finds nothing more to do, and a live run is never marked.
            var (_, again) = await workspace.LuteAsync("history", "--repair");
            Assert.Contains(again.Stdout, l => l.Contains("has lost its runner", StringComparison.Ordinal));
        }
        finally
        {
            foreach (var pid in new[] { task, child }.Where(ProcessTable.IsAlive))
            {
                ProcessTable.KillGroup(pid);
            }
        }
    }

    [Fact]
    public async Task Repair_leaves_a_run_whose_runner_still_runs_alone()
    {
        using var workspace = Workspace.Create();
        var tasks = workspace.Write("tasks.yaml", """
            tasks:
              Long:
                command: [sh, -c, 'echo ready; exec sleep 600']
                grace_period: 2s
            """);
        using var lute = workspace.Start(["run", tasks]);
        await lute.WaitForLineAsync(l => l.EndsWith("[Long stdout] ready", StringComparison.Ordinal), Workspace.DefaultTimeout);

        var (code, repaired) = await workspace.LuteAsync("history", "--repair");

        Assert.True(code == 0, repaired.Output);
        Assert.Contains(repaired.Stdout, l => l.Contains("has lost its runner", StringComparison.Ordinal));
        Assert.Equal(RunStatus.Running, (await workspace.LatestRunAsync()).Status);
        lute.Signal(SigTerm);
        Assert.Equal(ExitCodes.Cancelled, await lute.WaitForExitAsync(Workspace.DefaultTimeout));
    }

    /// <summary>Starts `lute run` of the stubborn task (signals reset to their defaults) and waits until it is ready.</summary>
    private static async Task<ChildProcess> StartStubbornAsync(Workspace workspace, string gracePeriod)
    {
        workspace.Write("stubborn.sh", Stubborn);
        var tasks = workspace.Write("tasks.yaml", $"""
            tasks:
              Stubborn:
                command: [sh, stubborn.sh]
                grace_period: {gracePeriod}
            """);
        var lute = workspace.Start(["run", tasks], resetSignals: true);
        try
        {
            await lute.WaitForLineAsync(l => l.EndsWith("[Stubborn stdout] ready", StringComparison.Ordinal), Workspace.DefaultTimeout);
            return lute;
        }
        catch
        {
            lute.Dispose();
            throw;
        }
    }

    private static void AssertGone(Workspace workspace)
    {
        var main = ProcessTable.ReadPid(workspace.PathOf("main.pid"));
        var child = ProcessTable.ReadPid(workspace.PathOf("child.pid"));
        Assert.False(ProcessTable.IsAlive(main), $"task process {main} is still alive");
        Assert.False(ProcessTable.IsAlive(child), $"task child {child} is still alive");
        Assert.Empty(ProcessTable.InGroup(main));
    }

    /// <summary>The status the store records for the latest run, once it is <paramref name="wanted"/> (or after 10 s).</summary>
    private static async Task<RunStatus> WaitForStatusAsync(Workspace workspace, RunStatus wanted)
    {
        // The status is written by the runner as the event passes; the command line has already seen the event.
        var until = DateTimeOffset.UtcNow.AddSeconds(10);
        RunStatus status;
        while ((status = (await workspace.LatestRunAsync()).Status) != wanted && DateTimeOffset.UtcNow < until)
        {
            await Task.Delay(50);
        }

        return status;
    }
}
