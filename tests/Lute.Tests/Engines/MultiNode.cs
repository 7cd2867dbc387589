using Lute.Tests.Support;

namespace Lute.Tests.Engines;

/// <summary>
/// The three-node SLURM cluster of scripts/multinode-up.sh (node1..node3 in network namespaces, 10.77.0.11..13, the
/// runner reachable at 10.77.0.1), which ./test.sh starts. When it is not up these tests fail with that
/// instruction; they never skip.
/// </summary>
internal static class MultiNode
{
    public const string SlurmConf = "/etc/slurm-multi/slurm.conf";
    public const string RunnerAddress = "10.77.0.1";
    public static readonly IReadOnlyList<string> Nodes = ["node1", "node2", "node3"];

    /// <summary>What <c>lute</c> and SLURM's commands need to use the cluster (as in /var/tmp/lute-multinode/env).</summary>
    public static IReadOnlyDictionary<string, string?> Environment { get; } = new Dictionary<string, string?>
    {
        ["SLURM_CONF"] = SlurmConf,
        ["OMPI_MCA_btl_tcp_if_include"] = "10.77.0.0/24",
        ["OMPI_MCA_oob_tcp_if_include"] = "10.77.0.0/24",
    };

    /// <summary>The address of a node: node2 is 10.77.0.12.</summary>
    public static string AddressOf(string node) => $"10.77.0.1{node[^1]}";

    /// <summary>Fails unless all three nodes answer and can take jobs.</summary>
    public static async Task RequireAsync()
    {
        var (code, output) = await RunAsync("sinfo", "-h", "-N", "-o", "%N %T");
        var ready = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split(' '))
            // Up: anything but down, drained, failed, unknown or not responding (*); "completing" is a node ending a
            // job of the test before, which the next step waits for.
            .Where(f => f.Length == 2 && !f[1].EndsWith('*') && !new[] { "down", "drain", "fail", "unk", "not_responding" }.Any(bad => f[1].StartsWith(bad, StringComparison.Ordinal)))
            .Select(f => f[0])
            .Distinct(StringComparer.Ordinal)
            .Count();
        Assert.True(code == 0 && ready == Nodes.Count, $"the three-node SLURM cluster is not up (sinfo with SLURM_CONF={SlurmConf}: exit {code}: {output.Trim()}); run scripts/multinode-up.sh as root (./test.sh does)");
    }

    /// <summary>Runs a SLURM command against the cluster, to its end (bounded); returns its exit code and output.</summary>
    public static Task<(int ExitCode, string Output)> RunAsync(string program, params string[] arguments) =>
        Engines.RunInAsync(Environment, program, arguments);

    /// <summary>Processes in the nodes' network namespaces whose working directory is in <paramref name="folder"/>: the task's.</summary>
    public static async Task<List<string>> TaskProcessesAsync(string folder)
    {
        var found = new List<string>();
        foreach (var node in Nodes)
        {
            var (_, output) = await Engines.RunAsync("ip", "netns", "pids", node);
            foreach (var text in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var pid))
                {
                    continue;
                }

                try
                {
                    var cwd = new DirectoryInfo($"/proc/{pid}/cwd").LinkTarget;
                    var state = ProcessTable.State(pid);
                    if (cwd is not null && cwd.StartsWith(folder, StringComparison.Ordinal) && state is not null and not 'Z' and not 'X')
                    {
                        found.Add($"{pid} ({File.ReadAllText($"/proc/{pid}/comm").Trim()}) on {node}");
                    }
                }
                catch (IOException)
                {
                    // It ended meanwhile.
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
        }

        return found;
    }

    /// <summary>
    /// Waits (bounded) until no process of the task is left on any node. The kernel offers no event for processes in
    /// another namespace, so this looks every 200 ms.
    /// </summary>
    public static async Task AssertNoTaskProcessLeftAsync(string folder, TimeSpan timeout)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        var deadline = DateTime.UtcNow + timeout;
        var left = await TaskProcessesAsync(folder);
        while (left.Count > 0 && DateTime.UtcNow < deadline && await timer.WaitForNextTickAsync())
        {
            left = await TaskProcessesAsync(folder);
        }

        Assert.True(left.Count == 0, $"processes of the task are still running: {string.Join(", ", left)}");
    }

    /// <summary>Waits until the cluster's squeue no longer lists the job (bounded); returns what it last printed.</summary>
    public static Task<string> WaitUntilJobLeftQueueAsync(string job, TimeSpan timeout) =>
        Engines.WaitUntilJobLeftQueueAsync(job, timeout, Environment);
}
