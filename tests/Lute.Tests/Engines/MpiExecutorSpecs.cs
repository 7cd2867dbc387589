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
        Assert.Equal(0, run.Payload!.Value.GetProperty("rank").GetInt32());
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
    public async Task Without_ntasks_the_rank_count_is_SLURM_NPROCS_less_one_for_the_runner_as_in_LUTE()
    {
        var program = await Engines.MpiProgramAsync();
        using var workspace = Engines.Workspace();
        var tasks = workspace.Write("tasks.yaml", $$"""
            tasks:
              FromSlurm:
                executor: mpi
                command: ["{{program}}"]
            """);
        using var lute = workspace.Start(["run", tasks], new Dictionary<string, string?> { ["SLURM_NPROCS"] = "3" });

        Assert.True(await lute.WaitForExitAsync(Workspace.DefaultTimeout) == ExitCodes.Completed, lute.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Equal("SLURM_NPROCS", run.DetailValues()["ranks_from"]);
        Assert.Equal("2", run.DetailValues()["ranks"]);
        var log = await File.ReadAllTextAsync(run.LogPath!);
        Assert.Contains("rank 1 of 2", log, StringComparison.Ordinal);
        Assert.DoesNotContain("rank 2 of", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_ntasks_or_SLURM_NPROCS_the_rank_count_is_the_cpus_less_one_and_never_zero()
    {
        var program = await Engines.MpiProgramAsync();
        using var workspace = Engines.Workspace();
        var tasks = workspace.Write("tasks.yaml", $$"""
            tasks:
              FromCpus:
                executor: mpi
                command: ["{{program}}"]
            """);
        // Two CPUs for lute (taskset), so one rank; then one CPU, still one rank.
        foreach (var (cpus, ranks) in new[] { ("0,1", 1), ("0", 1) })
        {
            using var lute = ChildProcess.Start(
                "/usr/bin/taskset", ["-c", cpus, Repo.Lute, "run", tasks, "--config", workspace.ConfigPath], workspace.Root,
                new Dictionary<string, string?> { ["SLURM_NPROCS"] = null });

            Assert.True(await lute.WaitForExitAsync(Workspace.DefaultTimeout) == ExitCodes.Completed, lute.Output);
            var run = await workspace.LatestRunAsync();
            Assert.Equal("cpus", run.DetailValues()["ranks_from"]);
            Assert.Equal(ranks.ToString(System.Globalization.CultureInfo.InvariantCulture), run.DetailValues()["ranks"]);
            Assert.Contains($"rank 0 of {ranks}", await File.ReadAllTextAsync(run.LogPath!), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_hostfile_LUTE_MPI_HOSTFILE_PATH_names_is_given_to_mpirun_and_removed_after_the_run()
    {
        var program = await Engines.MpiProgramAsync();
        using var workspace = Engines.Workspace();
        var hostfile = workspace.Write("hosts.txt", "localhost slots=2\n");
        var tasks = workspace.Write("tasks.yaml", $$"""
            tasks:
              WithHosts:
                executor: mpi
                resources: { ntasks: "2" }
                command: ["{{program}}"]
            """);
        using var lute = workspace.Start(["run", tasks], new Dictionary<string, string?> { ["LUTE_MPI_HOSTFILE_PATH"] = hostfile });

        Assert.True(await lute.WaitForExitAsync(Workspace.DefaultTimeout) == ExitCodes.Completed, lute.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Equal(hostfile, run.DetailValues()["hostfile"]);
        Assert.Contains("rank 1 of 2", await File.ReadAllTextAsync(run.LogPath!), StringComparison.Ordinal);
        Assert.False(File.Exists(hostfile), "the run's MPI hostfile was left behind");
    }

    [Fact]
    public async Task A_hostfile_that_does_not_exist_is_a_launch_error_naming_it()
    {
        var program = await Engines.MpiProgramAsync();
        using var workspace = Engines.Workspace();
        var missing = workspace.PathOf("no-such-hosts.txt");
        var tasks = workspace.Write("tasks.yaml", $$"""
            tasks:
              NoHosts:
                executor: mpi
                resources: { ntasks: "2" }
                command: ["{{program}}"]
            """);
        using var lute = workspace.Start(["run", tasks], new Dictionary<string, string?> { ["LUTE_MPI_HOSTFILE_PATH"] = missing });

        Assert.True(await lute.WaitForExitAsync(Workspace.DefaultTimeout) == ExitCodes.LaunchFailed, lute.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Contains(missing, run.Reason, StringComparison.Ordinal);
        Assert.Contains("LUTE_MPI_HOSTFILE_PATH", run.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_resource_is_bad_input_at_its_place_that_lists_the_valid_ones()
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

        Assert.True(code == ExitCodes.BadInput, lute.Output);
        Assert.Contains(lute.Stderr, l => l.Contains(":4:29: resource 'partition' for executor 'mpi'", StringComparison.Ordinal) && l.Contains("takes ntasks and ntasks-per-node", StringComparison.Ordinal));
        Assert.False(File.Exists(workspace.StorePath), "nothing was launched, nothing is recorded");
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
