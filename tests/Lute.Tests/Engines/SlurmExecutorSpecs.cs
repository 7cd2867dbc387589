using System.Text.Json;
using Lute.Contracts;
using Lute.Host.Running;
using Lute.Tests.Integration;
using Lute.Tests.Support;

namespace Lute.Tests.Engines;

/// <summary>The slurm-srun executor against the project's single-node SLURM cluster: real srun, scancel and squeue.</summary>
[Collection(ProcessCollection.Name)]
public sealed class SlurmExecutorSpecs
{
    private const int SigTerm = 15;

    [Fact]
    public async Task A_two_task_step_runs_and_records_its_job_step_and_nodes()
    {
        await Engines.RequireSlurmAsync();
        using var workspace = Engines.Workspace();
        workspace.Write("ranks.py", """
            import os, sys
            sys.path.insert(0, os.environ["CLIENT"])
            import lute_task
            print(f"task {os.environ['SLURM_PROCID']} in step {os.environ['SLURM_JOB_ID']}.{os.environ['SLURM_STEP_ID']}", flush=True)
            with lute_task.connect() as lute:
                lute.log(f"hello from rank {lute.rank}")
                lute.result(payload={"rank": lute.rank})
            """);
        var (code, lute) = await workspace.RunTaskAsync($$"""
            tasks:
              Step:
                executor: slurm-srun
                resources: { ntasks: "2" }
                command: [python3, ranks.py]
                environment: { set: { CLIENT: "{{Repo.PythonClient}}" } }
            """);

        Assert.True(code == ExitCodes.Completed, lute.Output);
        var run = await workspace.LatestRunAsync();
        var details = run.DetailValues();
        var job = details["slurm_job_id"];
        Assert.Equal($"{job}.0", details["slurm_step_id"]);
        Assert.Equal("localhost", details["slurm_nodes"]);
        Assert.Equal("own", details["allocation"]);
        var log = await File.ReadAllTextAsync(run.LogPath!);
        Assert.Contains($"[Step stdout rank 1] task 1 in step {job}.0", log, StringComparison.Ordinal);
        Assert.Contains("[Step log rank 0] hello from rank 0", log, StringComparison.Ordinal);
        Assert.Contains("[Step log rank 1] hello from rank 1", log, StringComparison.Ordinal);
        Assert.DoesNotContain("LUTE-STEP", log, StringComparison.Ordinal);
        Assert.Equal(0, run.Payload!.Value.GetProperty("rank").GetInt32());

        var (_, show) = await workspace.LuteAsync("show", run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains(show.Stdout, l => l.Contains($"\"slurm_step_id\": \"{job}.0\"", StringComparison.Ordinal));
        // tcp_address auto: the controller is this machine (127.0.0.1), so the address of the default route's interface.
        Assert.Contains(run.Communicators, c => c.StartsWith("tcp ", StringComparison.Ordinal));
        Assert.DoesNotContain(run.Communicators, c => c.StartsWith("tcp 127.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ranks_talk_over_TCP_and_a_connection_without_the_token_is_refused()
    {
        await Engines.RequireSlurmAsync();
        using var workspace = Engines.Workspace();
        workspace.Write("forge.py", """
            import json, os, socket, sys
            sys.path.insert(0, os.environ["CLIENT"])
            import lute_task
            host, port = os.environ["LUTE_ADDRESS"].rsplit(":", 1)
            forged = socket.create_connection((host, int(port)))
            forged.sendall(b'{"v": 1, "signal": "TASK_RESULT", "contents": {"payload": "forged"}}\n')
            forged.recv(1)  # the runner closes the connection
            forged.close()
            with lute_task.connect() as lute:
                lute.result(payload="genuine")
            """);
        var (code, lute) = await workspace.RunTaskAsync($$"""
            tasks:
              Forge:
                executor: slurm-srun
                command: [python3, forge.py]
                environment: { set: { CLIENT: "{{Repo.PythonClient}}" } }
            """);

        Assert.True(code == ExitCodes.Completed, lute.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Equal("\"genuine\"", run.Payload?.GetRawText());
        Assert.Contains("Refused connection", await File.ReadAllTextAsync(run.LogPath!), StringComparison.Ordinal);
        Assert.Equal("***", run.Environment["LUTE_TOKEN"]);
    }

    [Fact]
    public async Task A_rank_that_fails_fails_the_task()
    {
        await Engines.RequireSlurmAsync();
        using var workspace = Engines.Workspace();
        var (code, lute) = await workspace.RunTaskAsync("""
            tasks:
              OneFails:
                executor: slurm-srun
                resources: { ntasks: "2" }
                command: [sh, -c, 'if [ "$SLURM_PROCID" = 1 ]; then echo "rank 1 fails" >&2; exit 7; fi; sleep 30']
            """);

        Assert.True(code == ExitCodes.Failed, lute.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(7, run.ExitCode);
        Assert.Contains("[OneFails stderr rank 1] rank 1 fails", await File.ReadAllTextAsync(run.LogPath!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_partition_that_does_not_exist_is_a_launch_failure_with_SLURMs_message()
    {
        await Engines.RequireSlurmAsync();
        using var workspace = Engines.Workspace();
        var (code, lute) = await workspace.RunTaskAsync("""
            tasks:
              Nowhere:
                executor: slurm-srun
                resources: { partition: no-such-partition }
                command: [true]
            """);

        Assert.True(code == ExitCodes.LaunchFailed, lute.Output);
        var run = await workspace.LatestRunAsync();
        Assert.True(run.LaunchFailed);
        Assert.Contains("Invalid partition name specified", run.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_resource_is_refused_listing_the_valid_ones()
    {
        await Engines.RequireSlurmAsync();
        using var workspace = Engines.Workspace();
        var (code, lute) = await workspace.RunTaskAsync("""
            tasks:
              Typo:
                executor: slurm-srun
                resources: { ntask: "2" }
                command: [true]
            """);

        Assert.True(code == ExitCodes.BadInput, lute.Output);
        Assert.Contains(lute.Stderr, l => l.Contains(":4:25: resource 'ntask' for executor 'slurm-srun'", StringComparison.Ordinal)
            && l.Contains("takes ntasks, nodes, ntasks-per-node, cpus-per-task, gpus, mem, time, partition, account, qos, constraint, job-name, args", StringComparison.Ordinal));
        Assert.False(File.Exists(workspace.StorePath), "nothing was launched, nothing is recorded");
    }

    [Fact]
    public async Task Inherited_SLURM_variables_do_not_leak_into_the_step()
    {
        await Engines.RequireSlurmAsync();
        using var workspace = Engines.Workspace();
        var tasks = workspace.Write("tasks.yaml", """
            tasks:
              Clean:
                executor: slurm-srun
                command: [sh, -c, 'echo "ntasks=$SLURM_NTASKS name=$SLURM_JOB_NAME conf=$SLURM_CONF"']
            """);
        using var lute = workspace.Start(["run", tasks], new Dictionary<string, string?>
        {
            ["SLURM_NTASKS"] = "2",
            ["SLURM_NPROCS"] = "2",
            ["SLURM_JOB_NAME"] = "outer-job",
            ["SLURM_CONF"] = "/etc/slurm/slurm.conf",
        });

        Assert.True(await lute.WaitForExitAsync(Workspace.DefaultTimeout) == ExitCodes.Completed, lute.Output);
        var log = await File.ReadAllTextAsync((await workspace.LatestRunAsync()).LogPath!);
        Assert.Contains("[Clean stdout rank 0] ntasks=1 name=Clean conf=/etc/slurm/slurm.conf", log, StringComparison.Ordinal);
        Assert.DoesNotContain("rank 1]", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_while_the_step_waits_for_resources_withdraws_the_request()
    {
        await Engines.RequireSlurmAsync();
        using var workspace = Engines.Workspace();
        var (_, cpus) = await Engines.RunAsync("sinfo", "-h", "-o", "%c");
        // Another job takes every CPU of the node, so the task's step has to wait in the queue.
        using var blocker = ChildProcess.Start("srun", [$"--ntasks={cpus.Trim()}", "--job-name=lute-test-blocker", "sh", "-c", "echo running; exec sleep 300"], workspace.Root);
        try
        {
            await blocker.WaitForLineAsync(l => l.Contains("running", StringComparison.Ordinal), Workspace.DefaultTimeout);
            var tasks = workspace.Write("tasks.yaml", """
                tasks:
                  Queued:
                    executor: slurm-srun
                    command: [true]
                """);
            using var lute = workspace.Start(["run", tasks], resetSignals: true);
            await lute.WaitForLineAsync(l => l.Contains("is queued, waiting for resources", StringComparison.Ordinal), Workspace.DefaultTimeout);

            lute.Signal(SigTerm);

            Assert.True(await lute.WaitForExitAsync(Workspace.DefaultTimeout) == ExitCodes.Cancelled, lute.Output);
            Assert.Equal(RunStatus.Cancelled, (await workspace.LatestRunAsync()).Status);
            var (_, queued) = await Engines.RunAsync("squeue", "-h", "--name=Queued", "-o", "%i %T");
            Assert.True(queued.Trim().Length == 0, $"the queued request is still listed: {queued}");
        }
        finally
        {
            await Engines.RunAsync("scancel", "--name=lute-test-blocker");
        }
    }

    [Fact]
    public async Task A_SLURM_time_limit_that_kills_the_step_is_recorded_timed_out_not_failed()
    {
        await Engines.RequireSlurmAsync();
        using var workspace = Engines.Workspace();
        // SLURM's smallest limit is one minute. slurmctld looks for jobs over their limit on its own timer (every 30
        // seconds), then waits KillWait (5 s in the test clusters) before the kill: the end comes 60 to about 100 s after
        // the start, so this run gets a bound of its own, longer than the usual one.
        var tasks = workspace.Write("tasks.yaml", """
            tasks:
              TooLong:
                executor: slurm-srun
                resources: { time: "1" }
                command: [sleep, "600"]
            """);
        using var lute = workspace.Start(["run", tasks]);
        var code = await lute.WaitForExitAsync(TimeSpan.FromMinutes(3));

        Assert.True(code == ExitCodes.TimedOut, lute.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Equal(RunStatus.TimedOut, run.Status);
        Assert.Contains("time limit", run.Reason, StringComparison.Ordinal);
        Assert.Equal("timed_out", run.DetailValues()["engine_outcome"]);
    }
}
