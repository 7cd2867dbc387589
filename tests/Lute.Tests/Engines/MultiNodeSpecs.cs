using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Lute.Contracts;
using Lute.Host.Running;
using Lute.Tests.Integration;
using Lute.Tests.Support;

namespace Lute.Tests.Engines;

/// <summary>
/// The slurm-srun executor across the three nodes of scripts/multinode-up.sh: real srun, sbatch, scancel and OpenMPI,
/// ranks in other network namespaces with their own host names and addresses, reaching the runner over TCP.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class MultiNodeSpecs
{
    private const string RanksScript = """
        import os, socket, sys
        sys.path.insert(0, os.environ["CLIENT"])
        import lute_task
        with lute_task.connect() as lute:
            host = socket.gethostname()
            lute.log(f"hello from rank {lute.rank} on {host}")
            lute.result(payload={"rank": lute.rank, "host": host})
        """;

    [Theory]
    [InlineData(3)]
    [InlineData(6)]
    public async Task Every_rank_reaches_the_runner_from_its_own_node_and_rank_0s_result_is_recorded(int ranks)
    {
        await MultiNode.RequireAsync();
        using var workspace = Engines.Workspace();
        workspace.Write("ranks.py", RanksScript);

        var (code, lute) = await workspace.RunTaskAsync(
            $$"""
            tasks:
              Spread:
                executor: slurm-srun
                resources: { nodes: "3", ntasks: "{{ranks}}" }
                command: [python3, ranks.py]
                environment: { set: { CLIENT: "{{Repo.PythonClient}}" } }
            """,
            MultiNode.Environment);

        Assert.True(code == ExitCodes.Completed, lute.Output);
        var run = await workspace.LatestRunAsync();
        var log = await File.ReadAllTextAsync(run.LogPath!);
        var hosts = new HashSet<string>(StringComparer.Ordinal);
        for (var rank = 0; rank < ranks; rank++)
        {
            var line = log.Split('\n').SingleOrDefault(l => l.Contains($"[Spread log rank {rank} on node", StringComparison.Ordinal));
            Assert.True(line is not null, $"no log line of rank {rank} tagged with its host:\n{log}");
            var host = line[(line.IndexOf(" on ", StringComparison.Ordinal) + 4)..line.IndexOf(']', StringComparison.Ordinal)];
            Assert.EndsWith($"hello from rank {rank} on {host}", line.TrimEnd(), StringComparison.Ordinal);
            // The connection came from that node's own address, and its handshake named the node.
            Assert.Contains($"from {MultiNode.AddressOf(host)}:", log.Split('\n').Single(l => l.Contains($"(rank {rank}, host {host})", StringComparison.Ordinal)), StringComparison.Ordinal);
            hosts.Add(host);
        }

        Assert.Equal(MultiNode.Nodes, hosts.Order(StringComparer.Ordinal));
        var payload = run.Payload!.Value;
        Assert.Equal(0, payload.GetProperty("rank").GetInt32());
        Assert.Equal("node1", payload.GetProperty("host").GetString());
        Assert.Contains(run.Communicators, c => c.StartsWith($"tcp {MultiNode.RunnerAddress}:", StringComparison.Ordinal));

        var (_, show) = await workspace.LuteAsync("show", run.Id.ToString(CultureInfo.InvariantCulture));
        var job = run.DetailValues()["slurm_job_id"];
        Assert.Contains(show.Stdout, l => l.Contains($"\"slurm_job_id\": \"{job}\"", StringComparison.Ordinal));
        Assert.Contains(show.Stdout, l => l.Contains($"\"slurm_step_id\": \"{job}.0\"", StringComparison.Ordinal));
        Assert.Contains(show.Stdout, l => l.Contains("\"slurm_nodes\": \"node[1-3]\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task An_MPI_program_runs_across_nodes_through_srun_with_pmix(int nodes)
    {
        await MultiNode.RequireAsync();
        var program = await Engines.MpiProgramAsync();
        using var workspace = Engines.Workspace();

        var (code, lute) = await workspace.RunTaskAsync(
            $$"""
            tasks:
              Mpi:
                executor: slurm-srun
                resources: { nodes: "{{nodes}}", ntasks: "{{nodes}}", args: "--mpi=pmix" }
                command: [{{program}}]
            """,
            MultiNode.Environment);

        Assert.True(code == ExitCodes.Completed, lute.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Equal(RunStatus.Completed, run.Status);
        var log = await File.ReadAllTextAsync(run.LogPath!);
        for (var rank = 0; rank < nodes; rank++)
        {
            Assert.Contains($"rank {rank} of {nodes} on node{rank + 1}", log, StringComparison.Ordinal);
        }

        Assert.Equal(nodes == 2 ? "node[1-2]" : "node[1-3]", run.DetailValues()["slurm_nodes"]);
    }

    [Fact]
    public async Task Ranks_that_cannot_reach_the_runner_say_so_and_the_run_fails_in_bounded_time()
    {
        await MultiNode.RequireAsync();
        using var workspace = Engines.Workspace();
        // A loopback address is this machine's only: ranks on the nodes reach their own loopback, where nobody listens.
        // Every rank runs to its end (no --kill-on-bad-exit): otherwise the first rank to fail has srun kill the others,
        // and on a loaded machine srun may end the step before it has forwarded the failed rank's last line.
        workspace.WriteConfig("plugins:\n  - name: Lute.Executors.Slurm\n    settings: { tcp_address: 127.0.0.1, args: \"--kill-on-bad-exit=0\" }\n");
        workspace.Write("ranks.py", RanksScript);
        var clock = Stopwatch.StartNew();

        var (code, lute) = await workspace.RunTaskAsync(
            $$"""
            tasks:
              Unreachable:
                executor: slurm-srun
                resources: { nodes: "3", ntasks: "3" }
                command: [python3, ranks.py]
                environment: { set: { CLIENT: "{{Repo.PythonClient}}" } }
            """,
            MultiNode.Environment);

        clock.Stop();
        Assert.True(code == ExitCodes.Failed, lute.Output);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"the run took {clock.Elapsed}");
        var run = await workspace.LatestRunAsync();
        Assert.Equal(RunStatus.Failed, run.Status);
        var log = await File.ReadAllTextAsync(run.LogPath!);
        Assert.True(
            System.Text.RegularExpressions.Regex.IsMatch(log, @"\[Unreachable stderr rank \d\] .*rank \d on node\d cannot reach the Lute runner at LUTE_ADDRESS=127\.0\.0\.1:\d+: \[Errno 111\] Connection refused"),
            log);
    }

    [Fact]
    public async Task A_connection_from_another_node_without_the_token_is_refused_and_logged()
    {
        await MultiNode.RequireAsync();
        using var workspace = Engines.Workspace();
        workspace.Write("forge.py", """
            import os, socket, sys
            sys.path.insert(0, os.environ["CLIENT"])
            import lute_task
            if os.environ["SLURM_PROCID"] == "1":
                host, port = os.environ["LUTE_ADDRESS"].rsplit(":", 1)
                forged = socket.create_connection((host, int(port)))
                forged.sendall(b'{"v": 1, "signal": "TASK_RESULT", "contents": {"payload": "forged"}}\n')
                forged.recv(1)  # the runner closes the connection
                forged.close()
            with lute_task.connect() as lute:
                lute.result(payload=f"genuine from {socket.gethostname()}")
            """);

        var (code, lute) = await workspace.RunTaskAsync(
            $$"""
            tasks:
              Forge:
                executor: slurm-srun
                resources: { nodes: "2", ntasks: "2" }
                command: [python3, forge.py]
                environment: { set: { CLIENT: "{{Repo.PythonClient}}" } }
            """,
            MultiNode.Environment);

        Assert.True(code == ExitCodes.Completed, lute.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Equal("\"genuine from node1\"", run.Payload?.GetRawText());
        var log = await File.ReadAllTextAsync(run.LogPath!);
        Assert.Matches(@"Refused connection \d+ from 10\.77\.0\.12:\d+: its first line has no ""token"" string", log);
    }

    [Fact]
    public async Task A_submitted_three_node_job_completes_and_records_its_result()
    {
        await MultiNode.RequireAsync();
        using var workspace = Engines.Workspace();
        workspace.Write("ranks.py", RanksScript);
        var file = workspace.Write("tasks.yaml", $$"""
            tasks:
              Batch:
                executor: slurm-srun
                resources: { nodes: "3", ntasks: "3", time: "5" }
                command: [python3, ranks.py]
                environment: { set: { CLIENT: "{{Repo.PythonClient}}" } }
            """);

        using var submit = workspace.Start(["submit", file, "--wait"], MultiNode.Environment);
        var code = await submit.WaitForExitAsync(Workspace.DefaultTimeout);

        Assert.True(code == ExitCodes.Completed, submit.Output);
        var job = submit.Stdout.Single(l => l.StartsWith("Submitted job ", StringComparison.Ordinal)).Split(' ')[2];
        var run = await workspace.LatestRunAsync();
        Assert.Equal(RunStatus.Completed, run.Status);
        var details = run.DetailValues();
        Assert.Equal(job, details["slurm_allocation"]);
        Assert.Equal("node[1-3]", details["slurm_nodes"]);
        Assert.Equal("node1", run.Host);
        // The runner ran on node1 and listened on node1's address; rank 0 (also on node1) sent the result.
        Assert.Contains(run.Communicators, c => c.StartsWith($"tcp {MultiNode.AddressOf("node1")}:", StringComparison.Ordinal));
        Assert.Equal("node1", run.Payload!.Value.GetProperty("host").GetString());
        var log = await File.ReadAllTextAsync(run.LogPath!);
        Assert.Contains("[Batch log rank 1 on node2] hello from rank 1 on node2", log, StringComparison.Ordinal);
        Assert.Contains("[Batch log rank 2 on node3] hello from rank 2 on node3", log, StringComparison.Ordinal);
    }
}
