using Lute.Host.Store;
using Lute.Tests.Support;

namespace Lute.Tests.Engines;

/// <summary>
/// The SLURM clusters the project's scripts start, behind one shape, so that a test of what every cluster must do
/// is written once and run on each: the single-node cluster (scripts/slurm-up.sh) and the three nodes in network
/// namespaces (scripts/multinode-up.sh).
/// </summary>
internal abstract class SlurmCluster
{
    /// <summary>The one-node cluster.</summary>
    public const string OneNode = "one node";

    /// <summary>The three-node cluster.</summary>
    public const string ThreeNodes = "three nodes";

    /// <summary>The cluster of that name.</summary>
    public static SlurmCluster Named(string name) => name switch
    {
        OneNode => new SingleNode(),
        ThreeNodes => new MultiNodes(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such test cluster"),
    };

    /// <summary>Fails (never skips) when the cluster is not up.</summary>
    public abstract Task RequireAsync();

    /// <summary>Starts <c>lute run</c> of a step whose ranks wait, each writing <c>rank-R.pid</c>; returns once all are ready.</summary>
    public abstract Task<ChildProcess> StartHangingAsync(Workspace workspace, string? timeout);

    /// <summary>Asserts that no rank of the step runs anywhere and that its job has left the queue.</summary>
    public abstract Task AssertStepGoneAsync(Workspace workspace, RunRecord run);

    private sealed class SingleNode : SlurmCluster
    {
        public override Task RequireAsync() => Engines.RequireSlurmAsync();

        public override Task<ChildProcess> StartHangingAsync(Workspace workspace, string? timeout) => Engines.StartHangingStepAsync(workspace, timeout);

        public override async Task AssertStepGoneAsync(Workspace workspace, RunRecord run)
        {
            await Engines.AssertAllEndAsync(Engines.RankPids(workspace));
            var job = run.Details["slurm_job_id"];
            var left = await Engines.WaitUntilJobLeftQueueAsync(job, TimeSpan.FromSeconds(30));
            Assert.True(left.Length == 0, $"squeue still lists job {job}: {left}");
        }
    }

    private sealed class MultiNodes : SlurmCluster
    {
        private const int Ranks = 3;

        public override Task RequireAsync() => MultiNode.RequireAsync();

        public override async Task<ChildProcess> StartHangingAsync(Workspace workspace, string? timeout)
        {
            var tasks = workspace.Write("tasks.yaml", $$"""
                tasks:
                  Hang:
                    executor: slurm-srun
                    resources: { nodes: "3", ntasks: "3" }
                    command: [sh, -c, 'echo $$ > "{{workspace.Root}}/rank-$SLURM_PROCID.pid"; echo "rank $SLURM_PROCID ready on $(hostname)"; exec sleep 600']
                    grace_period: 5s
                {{(timeout is null ? string.Empty : $"    timeout: {timeout}")}}
                """);
            var lute = workspace.Start(["run", tasks], MultiNode.Environment, resetSignals: true);
            for (var rank = 0; rank < Ranks; rank++)
            {
                var expected = $"[Hang stdout rank {rank}] rank {rank} ready on node{rank + 1}";
                await lute.WaitForLineAsync(l => l.EndsWith(expected, StringComparison.Ordinal), Workspace.DefaultTimeout);
            }

            return lute;
        }

        public override async Task AssertStepGoneAsync(Workspace workspace, RunRecord run)
        {
            await MultiNode.AssertNoTaskProcessLeftAsync(workspace.Root, TimeSpan.FromSeconds(30));
            for (var rank = 0; rank < Ranks; rank++)
            {
                Assert.False(ProcessTable.IsAlive(ProcessTable.ReadPid(workspace.PathOf($"rank-{rank}.pid"))), $"rank {rank} still runs");
            }

            var job = run.Details["slurm_job_id"];
            var left = await MultiNode.WaitUntilJobLeftQueueAsync(job, TimeSpan.FromSeconds(30));
            Assert.True(left.Length == 0, $"squeue still lists job {job}: {left}");
        }
    }
}
