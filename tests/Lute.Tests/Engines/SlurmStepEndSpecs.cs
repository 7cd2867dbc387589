using Lute.Contracts;
using Lute.Host.Running;
using Lute.Tests.Integration;
using Lute.Tests.Support;

namespace Lute.Tests.Engines;

/// <summary>How a SLURM step ends when the runner ends it, the same on every test cluster: one node and three.</summary>
[Collection(ProcessCollection.Name)]
public sealed class SlurmStepEndSpecs
{
    private const int SigTerm = 15;

    [Theory]
    [InlineData(SlurmCluster.OneNode)]
    [InlineData(SlurmCluster.ThreeNodes)]
    public async Task Cancel_ends_the_step_on_every_node_and_leaves_no_task_process(string clusterName)
    {
        var cluster = SlurmCluster.Named(clusterName);
        await cluster.RequireAsync();
        using var workspace = Engines.Workspace();
        using var lute = await cluster.StartHangingAsync(workspace, timeout: null);

        lute.Signal(SigTerm);

        Assert.True(await lute.WaitForExitAsync(Workspace.DefaultTimeout) == ExitCodes.Cancelled, lute.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Equal(RunStatus.Cancelled, run.Status);
        await cluster.AssertStepGoneAsync(workspace, run);
    }

    [Theory]
    [InlineData(SlurmCluster.OneNode)]
    [InlineData(SlurmCluster.ThreeNodes)]
    public async Task The_runners_time_limit_ends_the_step_on_every_node_and_is_recorded_timed_out(string clusterName)
    {
        var cluster = SlurmCluster.Named(clusterName);
        await cluster.RequireAsync();
        using var workspace = Engines.Workspace();
        using var lute = await cluster.StartHangingAsync(workspace, timeout: "3s");

        Assert.True(await lute.WaitForExitAsync(Workspace.DefaultTimeout) == ExitCodes.TimedOut, lute.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Equal(RunStatus.TimedOut, run.Status);
        await cluster.AssertStepGoneAsync(workspace, run);
    }
}
