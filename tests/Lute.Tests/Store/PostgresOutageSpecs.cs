using System.Globalization;
using System.Security.Cryptography;
using Lute.Contracts;
using Lute.Host.Running;
using Lute.Host.Store;
using Lute.Tests.Integration;
using Lute.Tests.Observability;
using Lute.Tests.Support;

namespace Lute.Tests.Store;

/// <summary>
/// The PostgreSQL server stopped in the middle of a run, on a cluster of the test's own (scripts/postgres-up.sh with
/// its own state folder and port, so no other test loses its server): the task still finishes, its outcome is printed
/// and returned, the log says it is not recorded and why, and once the server is back the next run records normally.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class PostgresOutageSpecs
{
    [Fact]
    public async Task A_server_stopped_during_a_run_leaves_its_outcome_printed_and_the_next_run_records_again()
    {
        using var workspace = Workspace.Create();
        var folder = "/var/tmp/lute-postgres-outage-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var port = MetricsSpecs.FreePort().ToString(CultureInfo.InvariantCulture);
        var cluster = new Dictionary<string, string?> { ["LUTE_POSTGRES_DIR"] = folder, ["LUTE_POSTGRES_PORT"] = port };
        try
        {
            await ScriptAsync("postgres-up.sh", cluster);
            var address = $"postgresql://lute_owner@127.0.0.1:{port}/lute";
            var config = workspace.Write("postgres.yaml", $"logs: logs\nstore: {address}\n");
            var environment = new Dictionary<string, string?> { ["PGPASSFILE"] = Path.Combine(folder, "pgpass"), ["PGPASSWORD"] = null };
            var gate = workspace.MakeFifo("gate");
            var tasks = workspace.Write("tasks.yaml", $$"""
                tasks:
                  Outage:
                    command: [sh, -c, 'echo started; read go < "{{gate}}"; echo finished']
                """);

            using var run = ChildProcess.Start(Repo.Lute, ["run", tasks, "--config", config], workspace.Root, environment);
            await run.WaitForLineAsync(l => l.EndsWith("[Outage stdout] started", StringComparison.Ordinal), Workspace.DefaultTimeout);
            await ScriptAsync("postgres-down.sh", cluster);
            await File.WriteAllTextAsync(gate, "go\n");

            Assert.True(await run.WaitForExitAsync(Workspace.DefaultTimeout) == ExitCodes.Completed, run.Output);
            Assert.Contains("[Outage stdout] finished", run.Output, StringComparison.Ordinal);
            Assert.Contains("COMPLETED", run.Output, StringComparison.Ordinal);
            Assert.Contains("Result NOT recorded: cannot record the outcome in the result store " + address, run.Output, StringComparison.Ordinal);
            Assert.Contains("Control from other hosts: the run's session with the result store was lost", run.Output, StringComparison.Ordinal);

            await ScriptAsync("postgres-up.sh", cluster);
            var again = workspace.Write("again.yaml", "tasks:\n  Again:\n    command: [sh, -c, 'echo again']\n");
            using var next = ChildProcess.Start(Repo.Lute, ["run", again, "--config", config], workspace.Root, environment);
            Assert.True(await next.WaitForExitAsync(Workspace.DefaultTimeout) == ExitCodes.Completed, next.Output);
            Assert.Contains($"Result recorded in {address} (lute show 2)", next.Output, StringComparison.Ordinal);

            // The first run was recorded as running and its runner is gone: the next run marked it ABANDONED.
            await using var store = await PostgresRunRecorder.OpenAsync(
                $"Host=127.0.0.1;Port={port};Username=lute_owner;Database=lute;Passfile={Path.Combine(folder, "pgpass")};Pooling=false");
            var runs = await store.HistoryAsync(10, null, CancellationToken.None);
            Assert.Equal([(2L, RunStatus.Completed), (1L, RunStatus.Abandoned)], runs.Select(r => (r.Id, r.Status)));
        }
        finally
        {
            await ScriptAsync("postgres-down.sh", cluster, "--purge");
        }
    }

    [Fact]
    public async Task A_runner_whose_server_restarted_holds_its_run_again_and_a_cancel_reaches_it()
    {
        using var workspace = Workspace.Create();
        var folder = "/var/tmp/lute-postgres-outage-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var port = MetricsSpecs.FreePort().ToString(CultureInfo.InvariantCulture);
        var cluster = new Dictionary<string, string?> { ["LUTE_POSTGRES_DIR"] = folder, ["LUTE_POSTGRES_PORT"] = port };
        try
        {
            await ScriptAsync("postgres-up.sh", cluster);
            var address = $"postgresql://lute_owner@127.0.0.1:{port}/lute";
            var config = workspace.Write("postgres.yaml", $"logs: logs\nstore: {address}\n");
            var environment = new Dictionary<string, string?> { ["PGPASSFILE"] = Path.Combine(folder, "pgpass"), ["PGPASSWORD"] = null };
            var tasks = workspace.Write("tasks.yaml", "tasks:\n  Through:\n    command: [sh, -c, 'echo started; exec sleep 300']\n");

            using var run = ChildProcess.Start(Repo.Lute, ["run", tasks, "--config", config], workspace.Root, environment);
            await run.WaitForLineAsync(l => l.EndsWith("[Through stdout] started", StringComparison.Ordinal), Workspace.DefaultTimeout);
            await ScriptAsync("postgres-down.sh", cluster);
            await run.WaitForLineAsync(l => l.Contains("the run's session with the result store was lost", StringComparison.Ordinal), Workspace.DefaultTimeout);
            await ScriptAsync("postgres-up.sh", cluster);
            await run.WaitForLineAsync(l => l.Contains("the run's session with the result store is restored", StringComparison.Ordinal), TimeSpan.FromSeconds(90));

            using var cancel = ChildProcess.Start(Repo.Lute, ["cancel", "1", "--config", config], workspace.Root, environment);
            Assert.True(await cancel.WaitForExitAsync(Workspace.DefaultTimeout) == 0, cancel.Output);
            Assert.True(await run.WaitForExitAsync(Workspace.DefaultTimeout) == ExitCodes.Cancelled, run.Output);
            Assert.Contains($"Result recorded in {address} (lute show 1)", run.Output, StringComparison.Ordinal);

            await using var store = await PostgresRunRecorder.OpenAsync(
                $"Host=127.0.0.1;Port={port};Username=lute_owner;Database=lute;Passfile={Path.Combine(folder, "pgpass")};Pooling=false");
            Assert.Equal(RunStatus.Cancelled, (await store.GetAsync(1, CancellationToken.None))!.Status);
        }
        finally
        {
            await ScriptAsync("postgres-down.sh", cluster, "--purge");
        }
    }

    private static async Task ScriptAsync(string script, IReadOnlyDictionary<string, string?> environment, string? argument = null)
    {
        using var process = ChildProcess.Start("bash", [Path.Combine(Repo.Root, "scripts", script), .. argument is null ? Array.Empty<string>() : [argument]], Repo.Root, environment);
        Assert.True(await process.WaitForExitAsync(TimeSpan.FromSeconds(120)) == 0, process.Output);
    }
}
