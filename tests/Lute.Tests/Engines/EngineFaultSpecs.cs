using System.Diagnostics;
using Lute.Contracts;
using Lute.Host.Running;
using Lute.Tests.Integration;
using Lute.Tests.Support;

namespace Lute.Tests.Engines;

/// <summary>Faults of the engines and of the runner between them and the task: each ends with a recorded result.</summary>
[Collection(ProcessCollection.Name)]
public sealed class EngineFaultSpecs
{
    private const int SigKill = 9;

    [Fact]
    public async Task A_missing_srun_is_a_launch_error_naming_it()
    {
        await Engines.RequireSlurmAsync();
        using var workspace = Engines.Workspace();
        workspace.WriteConfig("plugins:\n  - name: Lute.Executors.Slurm\n    settings: { srun: srun-that-does-not-exist }\n");
        var (code, lute) = await workspace.RunTaskAsync("""
            tasks:
              NoSrun:
                executor: slurm-srun
                command: ["true"]
            """);

        Assert.True(code == ExitCodes.LaunchFailed, lute.Output);
        var run = await workspace.LatestRunAsync();
        Assert.True(run.LaunchFailed);
        Assert.Contains("srun-that-does-not-exist", run.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_slurmctld_is_a_launch_failure_within_a_bound_with_SLURMs_message()
    {
        await Engines.RequireSlurmAsync();
        using var workspace = Engines.Workspace();
        // The cluster's configuration with the controller moved to a port where nothing listens.
        var conf = System.Environment.GetEnvironmentVariable("SLURM_CONF") ?? "/etc/slurm/slurm.conf";
        var lines = File.ReadAllLines(conf).Where(l => !l.StartsWith("SlurmctldPort", StringComparison.OrdinalIgnoreCase)).Append($"SlurmctldPort={ClosedPort()}");
        var broken = workspace.Write("slurm.conf", string.Join('\n', lines) + "\n");

        var clock = Stopwatch.StartNew();
        var (code, lute) = await workspace.RunTaskAsync(
            """
            tasks:
              Unreachable:
                executor: slurm-srun
                command: ["true"]
            """,
            new Dictionary<string, string?> { ["SLURM_CONF"] = broken });

        Assert.True(code == ExitCodes.LaunchFailed, lute.Output);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"the launch failure took {clock.Elapsed}");
        var run = await workspace.LatestRunAsync();
        Assert.True(run.LaunchFailed);
        Assert.Contains("Unable to contact slurm controller", run.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_step_cancelled_from_outside_with_scancel_is_recorded_cancelled_and_leaves_no_process()
    {
        await Engines.RequireSlurmAsync();
        using var workspace = Engines.Workspace();
        using var lute = await Engines.StartHangingStepAsync(workspace, timeout: null);
        var step = (await workspace.LatestRunAsync()).DetailValues()["slurm_step_id"];

        var (scancelCode, scancel) = await Engines.RunAsync("scancel", step);

        Assert.True(scancelCode == 0, scancel);
        Assert.True(await lute.WaitForExitAsync(Workspace.DefaultTimeout) == ExitCodes.Cancelled, lute.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.Contains($"SLURM cancelled step {step}", run.Reason, StringComparison.Ordinal);
        await Engines.AssertAllEndAsync(Engines.RankPids(workspace));
    }

    [Fact]
    public async Task A_killed_runner_takes_its_srun_step_along_and_the_run_is_marked_abandoned()
    {
        await Engines.RequireSlurmAsync();
        using var workspace = Engines.Workspace();
        using var lute = await Engines.StartHangingStepAsync(workspace, timeout: null);
        var job = (await workspace.LatestRunAsync()).DetailValues()["slurm_job_id"];

        lute.Signal(SigKill);
        await lute.WaitForExitAsync(Workspace.DefaultTimeout);

        // The runner's guard ended srun and cancelled the step and the allocation srun made.
        await Engines.AssertAllEndAsync(Engines.RankPids(workspace));
        var left = await Engines.WaitUntilJobLeftQueueAsync(job, TimeSpan.FromSeconds(30));
        Assert.True(left.Length == 0, $"squeue still lists job {job}: {left}");
        var (_, repaired) = await workspace.LuteAsync("history", "--repair");
        Assert.Contains(repaired.Stdout, l => l.StartsWith("run 1 (Hang) marked ABANDONED", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_killed_runner_takes_every_mpi_rank_along()
    {
        var program = await Engines.MpiProgramAsync();
        using var workspace = Engines.Workspace();
        using var lute = await Engines.StartHangingAsync(workspace, "mpi", $"[\"{program}\", --hang, \"{workspace.Root}\"]", timeout: null);

        lute.Signal(SigKill);
        await lute.WaitForExitAsync(Workspace.DefaultTimeout);

        await Engines.AssertAllEndAsync(Engines.RankPids(workspace));
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
