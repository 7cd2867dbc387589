using System.Text.Json;
using Lute.Contracts;
using Lute.Host.Running;
using Lute.Tests.Integration;
using Lute.Tests.Support;

namespace Lute.Tests.Engines;

/// <summary>The mpi executor against Debian's OpenMPI: real mpirun, a real MPI program compiled with mpicc.</summary>
[Collection(ProcessCollection.Name)]
public sealed class MpiExecutorSpecs
{
    private const int SigTerm = 15;

    [Fact]
    public async Task An_MPI_program_runs_at_two_ranks_and_every_output_line_carries_its_rank()
    {
        var program = await Engines.MpiProgramAsync();
        using var workspace = Engines.Workspace();
        var (code, lute) = await workspace.RunTaskAsync($$"""
            tasks:
              Ranks:
                executor: mpi
                resources: { ntasks: "2" }
                command: ["{{program}}"]
            """);

        Assert.True(code == ExitCodes.Completed, lute.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Equal(RunStatus.Completed, run.Status);
        var log = await File.ReadAllTextAsync(run.LogPath!);
        Assert.Contains("[Ranks stdout rank 0] rank 0 of 2", log, StringComparison.Ordinal);
        Assert.Contains("[Ranks stdout rank 1] rank 1 of 2", log, StringComparison.Ordinal);
        Assert.Equal("2", run.DetailValues()["ranks"]);
    }

    [Fact]
    public async Task Every_rank_talks_to_the_runner_and_the_result_is_rank_zeros()
    {
        await Engines.MpiProgramAsync();
        using var workspace = Engines.Workspace();
        workspace.Write("ranks.py", """
            import os, sys
            sys.path.insert(0, os.environ["CLIENT"])
            import lute_task
            with lute_task.connect() as lute:
                lute.log(f"hello from rank {lute.rank}")
                lute.result(payload={"rank": lute.rank})
            """);
        var (code, lute) = await workspace.RunTaskAsync($$"""
            tasks:
              Talk:
                executor: mpi
                resources: { ntasks: "2" }
                command: [python3, ranks.py]
                environment: { set: { CLIENT: "{{Repo.PythonClient}}" } }
            """);

        Assert.True(code == ExitCodes.Completed, lute.Output);
        var run = await workspace.LatestRunAsync();
        var log = await File.ReadAllTextAsync(run.LogPath!);
        Assert.Contains("[Talk log rank 0] hello from rank 0", log, StringComparison.Ordinal);
        Assert.Contains("[Talk log rank 1] hello from rank 1", log, StringComparison.Ordinal);
        Assert.Equal(0, JsonDocument.Parse(run.Payload!).RootElement.GetProperty("rank").GetInt32());
    }

    [Fact]
    public async Task A_rank_that_fails_fails_the_task()
    {
        var program = await Engines.MpiProgramAsync();
        using var workspace = Engines.Workspace();
        var (code, lute) = await workspace.RunTaskAsync($$"""
            tasks:
              OneFails:
                executor: mpi
                resources: { ntasks: "2" }
                command: ["{{program}}", --fail, "1"]
            """);

        Assert.True(code == ExitCodes.Failed, lute.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("[OneFails stderr rank 1] rank 1 fails on purpose", await File.ReadAllTextAsync(run.LogPath!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_ntasks_the_rank_count_comes_from_SLURM_NPROCS()
    {
        var program = await Engines.MpiProgramAsync();
        using var workspace = Engines.Workspace();
        var tasks = workspace.Write("tasks.yaml", $$"""
            tasks:
              FromSlurm:
                executor: mpi
                command: ["{{program}}"]
            """);
        using var lute = workspace.Start(["run", tasks], new Dictionary<string, string?> { ["SLURM_NPROCS"] = "2" });

        Assert.True(await lute.WaitForExitAsync(Workspace.DefaultTimeout) == ExitCodes.Completed, lute.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Equal("SLURM_NPROCS", run.DetailValues()["ranks_from"]);
        Assert.Contains("rank 1 of 2", await File.ReadAllTextAsync(run.LogPath!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_resource_is_a_launch_error_that_lists_the_valid_ones()
    {
        var program = await Engines.MpiProgramAsync();
        using var workspace = Engines.Workspace();
        var (code, lute) = await workspace.RunTaskAsync($$"""
            tasks:
              Bad:
                executor: mpi
                resources: { partition: debug }
                command: ["{{program}}"]
            """);

        Assert.True(code == ExitCodes.LaunchFailed, lute.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Contains("partition", run.Reason, StringComparison.Ordinal);
        Assert.Contains("ntasks, ntasks-per-node", run.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_launcher_is_a_launch_error_naming_it()
    {
        var program = await Engines.MpiProgramAsync();
        using var workspace = Engines.Workspace();
        workspace.WriteConfig("plugins:\n  - name: Lute.Executors.Mpi\n    settings: { launcher: mpirun-that-does-not-exist }\n");
        var (code, lute) = await workspace.RunTaskAsync($$"""
            tasks:
              NoLauncher:
                executor: mpi
                command: ["{{program}}"]
            """);

        Assert.True(code == ExitCodes.LaunchFailed, lute.Output);
        Assert.Contains("mpirun-that-does-not-exist", (await workspace.LatestRunAsync()).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_reaches_every_rank_and_leaves_no_process()
    {
        var program = await Engines.MpiProgramAsync();
        using var workspace = Engines.Workspace();
        using var lute = await StartHangingAsync(workspace, program, timeout: null);

        lute.Signal(SigTerm);

        Assert.True(await lute.WaitForExitAsync(Workspace.DefaultTimeout) == ExitCodes.Cancelled, lute.Output);
        Assert.Equal(RunStatus.Cancelled, (await workspace.LatestRunAsync()).Status);
        await Engines.AssertAllEndAsync(Engines.RankPids(workspace));
    }

    [Fact]
    public async Task Time_limit_reaches_every_rank_and_leaves_no_process()
    {
        var program = await Engines.MpiProgramAsync();
        using var workspace = Engines.Workspace();
        using var lute = await StartHangingAsync(workspace, program, timeout: "3s");

        Assert.True(await lute.WaitForExitAsync(Workspace.DefaultTimeout) == ExitCodes.TimedOut, lute.Output);
        Assert.Equal(RunStatus.TimedOut, (await workspace.LatestRunAsync()).Status);
        await Engines.AssertAllEndAsync(Engines.RankPids(workspace));
    }

    private static Task<ChildProcess> StartHangingAsync(Workspace workspace, string program, string? timeout) =>
        Engines.StartHangingAsync(workspace, "mpi", $"[\"{program}\", --hang, \"{workspace.Root}\"]", timeout);
}
