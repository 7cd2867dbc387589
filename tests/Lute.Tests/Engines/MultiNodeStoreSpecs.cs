using System.Globalization;
using Lute.Contracts;
using Lute.Host.Running;
using Lute.Host.Store;
using Lute.Tests.Integration;
using Lute.Tests.Support;

namespace Lute.Tests.Engines;

/// <summary>
/// One PostgreSQL history for runners on many hosts: <c>lute run</c> on the three namespace nodes of
/// scripts/multinode-up.sh (own host names, own addresses), started there by srun, writing over TCP to the test
/// cluster of scripts/postgres-up.sh at the bridge address 10.77.0.1; and <c>lute cancel</c> from another node
/// reaching a run's runner through the store.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class MultiNodeStoreSpecs
{
    private const int RunsPerNode = 5;
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Runners_on_three_nodes_write_to_one_database_over_tcp_and_lose_no_run()
    {
        await MultiNode.RequireAsync();
        using var workspace = Workspace.Create();
        await using var database = await PostgresServer.CreateDatabaseAsync();
        var config = Configure(workspace, database);
        var tasks = workspace.Write("tasks.yaml", "tasks:\n  Everywhere:\n    command: [sh, -c, 'hostname']\n");
        var runs = string.Join("; ", Enumerable.Repeat($"\"$LUTE\" run '{tasks}' --config '{config}' >/dev/null || exit 1", RunsPerNode));

        var (code, output) = await Engines.RunInAsync(
            Environment(("LUTE", Repo.Lute)), "srun", "-N3", "--ntasks-per-node=1", "-t", "5", "sh", "-c", runs);

        Assert.True(code == 0, output);
        await using var store = await PostgresRunRecorder.OpenAsync(database.ConnectionString(PostgresServer.Owner));
        var recorded = await store.HistoryAsync(1000, null, None);
        Assert.Equal(Enumerable.Range(1, 3 * RunsPerNode).Select(i => (long)i), recorded.Select(r => r.Id).Order());
        Assert.All(recorded, r => Assert.Equal(RunStatus.Completed, r.Status));
        Assert.Equal(
            MultiNode.Nodes.Select(n => (n, RunsPerNode)),
            recorded.GroupBy(r => r.Host).Select(g => (g.Key, g.Count())).OrderBy(g => g.Key, StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_cancel_from_another_node_reaches_the_runner_and_the_run_ends_cancelled()
    {
        await MultiNode.RequireAsync();
        using var workspace = Workspace.Create();
        await using var database = await PostgresServer.CreateDatabaseAsync();
        var config = Configure(workspace, database);
        var tasks = workspace.Write("tasks.yaml", """
            tasks:
              Held:
                command: [sh, -c, 'echo started on $(hostname); exec sleep 300']
            """);

        using var run = ChildProcess.Start(
            "srun", ["-w", "node1", "-N1", "-n1", "-t", "5", Repo.Lute, "run", tasks, "--config", config], workspace.Root, Environment());
        await run.WaitForLineAsync(l => l.EndsWith("[Held stdout] started on node1", StringComparison.Ordinal), Workspace.DefaultTimeout);

        var (code, output) = await Engines.RunInAsync(
            Environment(), "srun", "-w", "node2", "-N1", "-n1", "-t", "5", Repo.Lute, "cancel", "1", "--config", config);

        Assert.True(code == 0, output);
        Assert.Contains("Asked the runner of run 1 (process ", output, StringComparison.Ordinal);
        Assert.Contains(" on node1) to cancel its task, through postgresql://", output, StringComparison.Ordinal);
        Assert.True(await run.WaitForExitAsync(Workspace.DefaultTimeout) == ExitCodes.Cancelled, run.Output);
        await using var store = await PostgresRunRecorder.OpenAsync(database.ConnectionString(PostgresServer.Owner));
        var cancelled = (await store.GetAsync(1, None))!;
        Assert.Equal((RunStatus.Cancelled, "node1"), (cancelled.Status, cancelled.Host));
        Assert.Contains("@node2", cancelled.Reason, StringComparison.Ordinal);
        Assert.Contains("'lute cancel' from ", cancelled.Reason, StringComparison.Ordinal);
    }

    /// <summary>plugins.yaml naming the test database at the bridge address, the address the nodes reach.</summary>
    private static string Configure(Workspace workspace, PostgresDatabase database) =>
        workspace.Write("postgres.yaml", string.Create(
            CultureInfo.InvariantCulture,
            $"logs: {workspace.LogDirectory}\nstore: postgresql://{PostgresServer.Owner}@{MultiNode.RunnerAddress}:{PostgresServer.Port}/{database.Name}\n"));

    private static Dictionary<string, string?> Environment(params (string Name, string Value)[] more)
    {
        var environment = new Dictionary<string, string?>(MultiNode.Environment)
        {
            ["PGPASSFILE"] = PostgresServer.PassFile,
            ["PGPASSWORD"] = null,
        };
        foreach (var (name, value) in more)
        {
            environment[name] = value;
        }

        return environment;
    }
}
