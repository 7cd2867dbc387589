using Lute.Contracts;
using Lute.Host.Running;
using Lute.Tests.Support;

namespace Lute.Tests.Integration;

[Collection(ProcessCollection.Name)]
public sealed class ConcurrencySpecs
{
    [Fact]
    public async Task Fifty_concurrent_runs_on_one_store_all_complete_and_all_rows_are_written()
    {
        const int runs = 50;
        using var workspace = Workspace.Create();
        var path = workspace.Write("tasks.yaml", """
            tasks:
              Parallel:
                command: [sh, -c, 'echo "run $LUTE_RUN_ID"']
            """);

        var processes = Enumerable.Range(0, runs).Select(_ => workspace.Start(["run", path])).ToList();
        try
        {
            var codes = await Task.WhenAll(processes.Select(p => p.WaitForExitAsync(TimeSpan.FromMinutes(3))));

            Assert.All(codes.Zip(processes), pair => Assert.True(pair.First == ExitCodes.Completed, pair.Second.Output));
            var rows = await workspace.RunsAsync();
            Assert.Equal(runs, rows.Count);
            Assert.All(rows, r => Assert.Equal(RunStatus.Completed, r.Status));
            Assert.Equal(runs, rows.Select(r => r.Id).Distinct().Count());
            Assert.DoesNotContain(processes.SelectMany(p => p.Stderr), l => l.Contains("locked", StringComparison.OrdinalIgnoreCase));
        }
        finally
        {
            processes.ForEach(p => p.Dispose());
        }
    }
}
