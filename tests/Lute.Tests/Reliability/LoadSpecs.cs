using Lute.Contracts;
using Lute.Host.Configuration;
using Lute.Host.Plugins;
using Lute.Host.Running;
using Lute.Host.Store;
using Lute.Tests.Integration;
using Lute.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lute.Tests.Reliability;

/// <summary>Many runs, one after another in one host: nothing is lost and nothing accumulates.</summary>
[Collection(ProcessCollection.Name)]
public sealed class LoadSpecs
{
    private const int Runs = 200;
    private const int WarmUpRuns = 10;

    [Fact]
    public async Task Two_hundred_runs_in_a_row_in_one_host_lose_no_row_and_leak_no_file_descriptor_or_thread()
    {
        using var workspace = Workspace.Create();
        var path = workspace.Write("tasks.yaml", """
            tasks:
              Repeated:
                command: [sh, -c, 'echo "run $LUTE_RUN_ID"']
            """);
        var config = HostConfigurationLoader.Load(workspace.ConfigPath) with { ConsoleTaskOutput = false };
        using var plugins = PluginHost.Load(config, NullLoggerFactory.Instance);
        var runner = new TaskRunner(config, plugins, Serilog.Core.Logger.None);
        var file = TaskFileLoader.Load(path);

        var results = new List<RunOutcome>();
        for (var i = 0; i < WarmUpRuns; i++)
        {
            results.Add(await runner.RunAsync(new RunRequest(file, "Repeated")));
        }

        // Released resources are let go at a collection; without one, a leak and garbage look alike.
        Settle();
        var (descriptorsBefore, threadsBefore) = Usage();
        for (var i = WarmUpRuns; i < Runs; i++)
        {
            results.Add(await runner.RunAsync(new RunRequest(file, "Repeated")));
        }

        Settle();
        var (descriptorsAfter, threadsAfter) = Usage();

        Assert.All(results, r => Assert.True(r.Recorded && r.Result.Status == RunStatus.Completed, r.Result.Reason));
        await using var store = await SqliteRunRecorder.OpenAsync(workspace.StorePath);
        var rows = await store.HistoryAsync(Runs + 10, null, CancellationToken.None);
        Assert.Equal(Runs, rows.Count);
        Assert.Equal(Enumerable.Range(1, Runs).Select(i => (long)i).Reverse(), rows.Select(r => r.Id));
        Assert.All(rows, r => Assert.Equal(RunStatus.Completed, r.Status));
        Assert.All(rows, r => Assert.Contains($"run {r.Id}", File.ReadAllText(r.LogPath!), StringComparison.Ordinal));
        // 190 runs: a leak of one per run would show as 190; the bounds leave room for pooled threads and files.
        Assert.True(descriptorsAfter - descriptorsBefore <= 8, $"open file descriptors grew from {descriptorsBefore} to {descriptorsAfter} over {Runs - WarmUpRuns} runs");
        Assert.True(threadsAfter - threadsBefore <= 16, $"threads grew from {threadsBefore} to {threadsAfter} over {Runs - WarmUpRuns} runs");
    }

    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static (int Descriptors, int Threads) Usage()
    {
        var descriptors = Directory.GetFileSystemEntries("/proc/self/fd").Length;
        var threads = int.Parse(
            File.ReadLines("/proc/self/status").First(l => l.StartsWith("Threads:", StringComparison.Ordinal))["Threads:".Length..].Trim(),
            System.Globalization.CultureInfo.InvariantCulture);
        return (descriptors, threads);
    }
}
