using Lute.Host.Running;
using Lute.Tests.Support;

namespace Lute.Tests.Integration;

/// <summary>A tasklet is a process like a task: its own session, its output read until it exits, nothing left behind.</summary>
public sealed class TaskletProcessSpecs
{
    [Fact]
    public async Task A_tasklet_that_starts_a_background_process_ends_when_it_exits_with_its_output_and_leaves_nothing()
    {
        using var workspace = Workspace.Create();
        var pidFile = workspace.PathOf("background.pid");
        var started = DateTimeOffset.UtcNow;
        var (code, process) = await workspace.RunTaskAsync($$"""
            tasks:
              Leaky:
                command: [true]
                tasklets:
                  before:
                    - name: leaky
                      command: [sh, -c, 'sleep 30 & echo $! > "{{pidFile}}"; echo bg started']
                      timeout: 20s
                      summary: true
                      on_failure: fail
            """);
        var elapsed = DateTimeOffset.UtcNow - started;

        Assert.True(code == ExitCodes.Completed, process.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Equal("bg started", run.SummaryValues()["leaky"]);
        var background = ProcessTable.ReadPid(pidFile);
        Assert.False(ProcessTable.IsAlive(background), $"the tasklet's 'sleep 30' (process {background}) outlived the run");
        Assert.True(elapsed < TimeSpan.FromSeconds(15), $"the run waited {elapsed} for the tasklet's background process");
    }

    [Fact]
    public async Task A_tasklet_out_of_time_is_ended_with_everything_it_started()
    {
        using var workspace = Workspace.Create();
        var pidFile = workspace.PathOf("child.pid");
        var (code, process) = await workspace.RunTaskAsync($$"""
            tasks:
              Slow:
                command: [true]
                tasklets:
                  before:
                    - name: slow
                      command: [sh, -c, 'sleep 60 & echo $! > "{{pidFile}}"; echo waiting; wait']
                      timeout: 1s
                      on_failure: fail
            """);

        Assert.True(code == ExitCodes.Failed, process.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Contains("exceeded its 1s limit", run.Reason, StringComparison.Ordinal);
        var child = ProcessTable.ReadPid(pidFile);
        Assert.False(ProcessTable.IsAlive(child), $"the tasklet's child (process {child}) outlived its time limit");
    }
}
