using Lute.Contracts;
using Lute.Tests.Integration;
using Lute.Tests.Observability;
using Lute.Tests.Support;

namespace Lute.Tests.Dashboard;

/// <summary>
/// The real Prometheus (Debian's <c>prometheus</c>) scrapes the dashboard's <c>/metrics</c> with the dashboard's token
/// as its bearer credentials, and its query API returns the store's figures.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class DashboardPrometheusSpecs
{
    [Fact]
    public async Task Prometheus_scrapes_the_stores_runs_and_durations_from_the_dashboard()
    {
        using var workspace = Workspace.Create();
        await StoreSeed.AddAsync(workspace.StorePath, 5, i => (StoreSeed.Run(i < 3 ? "Index" : "Merge", i), i == 4 ? RunStatus.TimedOut : RunStatus.Completed, 2));
        await using var server = await DashboardServer.StartAsync(workspace);
        var webPort = MetricsSpecs.FreePort();
        using var prometheus = MetricsSpecs.StartPrometheus(workspace, server.Address.Port, webPort, bearer: server.Token);
        try
        {
            var completed = await MetricsSpecs.QueryUntilAsync(webPort, "lute_store_runs{status=\"COMPLETED\"}", "4", prometheus);
            var timedOut = await MetricsSpecs.QueryUntilAsync(webPort, "lute_store_runs{status=\"TIMEDOUT\"}", "1", prometheus);
            var merges = await MetricsSpecs.QueryUntilAsync(webPort, "sum(lute_store_run_duration_seconds_count{task=\"Merge\"})", "2", prometheus);
            var seconds = await MetricsSpecs.QueryUntilAsync(webPort, "sum(lute_store_run_duration_seconds_sum)", "10", prometheus);
            var up = await MetricsSpecs.QueryUntilAsync(webPort, "up{job=\"lute\"}", "1", prometheus);
            Assert.Equal(("4", "1", "2", "10", "1"), (completed, timedOut, merges, seconds, up));
        }
        finally
        {
            prometheus.Signal(15);
            await prometheus.WaitForExitAsync(Workspace.DefaultTimeout);
        }
    }
}
