using Lute.Host.Running;
using Lute.Tests.Integration;
using Lute.Tests.Support;

namespace Lute.Tests.Observability;

/// <summary>
/// The default path of <c>lute run</c> (output piped, no OTEL_* variables, no <c>--metrics</c>) loads none of the
/// observability libraries and nothing of ASP.NET Core (the dashboard is its own program): read from the live
/// runner's memory map and its runtime configuration while its task waits.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class LoadingSpecs
{
    private static readonly string[] Libraries = ["OpenTelemetry", "Spectre.Console", "Prometheus.NetStandard", "prometheus-net", "Npgsql"];

    [Fact]
    public async Task A_plain_run_maps_none_of_the_observability_libraries_nor_aspnetcore_and_metrics_map_prometheus_net_only()
    {
        using var workspace = Workspace.Create();
        var plain = await MappedWhileRunningAsync(workspace, []);
        var metrics = await MappedWhileRunningAsync(workspace, ["--metrics", $"127.0.0.1:{MetricsSpecs.FreePort()}"]);

        Assert.Contains(plain, l => l.EndsWith("/Lute.Host.dll", StringComparison.Ordinal));
        Assert.DoesNotContain(plain, l => Libraries.Any(n => l.Contains(n, StringComparison.OrdinalIgnoreCase)));
        Assert.DoesNotContain(plain.Concat(metrics), l => l.Contains("Microsoft.AspNetCore", StringComparison.Ordinal) || l.Contains("Dashboard", StringComparison.OrdinalIgnoreCase));
        // lute's runtime configuration names .NET alone: the host never resolves the ASP.NET Core framework for it.
        var runtimeConfig = await File.ReadAllTextAsync(Path.ChangeExtension(Repo.Lute, ".runtimeconfig.json"));
        Assert.DoesNotContain("Microsoft.AspNetCore.App", runtimeConfig, StringComparison.Ordinal);
        Assert.Contains("Microsoft.AspNetCore.App", await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(Repo.Lute)!, "dashboard", "lute-dashboard.runtimeconfig.json")), StringComparison.Ordinal);
        Assert.Contains(metrics, l => l.Contains("Prometheus", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(metrics, l => l.Contains("OpenTelemetry", StringComparison.Ordinal) || l.Contains("Spectre", StringComparison.Ordinal));
    }

    private static async Task<string[]> MappedWhileRunningAsync(Workspace workspace, string[] options)
    {
        var gate = workspace.MakeFifo($"gate-{options.Length}");
        var tasks = workspace.Write($"tasks-{options.Length}.yaml", $$"""
            tasks:
              Waits:
                command: [sh, -c, 'echo waiting; read go < "{{gate}}"']
            """);
        using var lute = workspace.Start(
            ["run", .. options, tasks],
            new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = null, ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = null, ["OTEL_TRACES_EXPORTER"] = null });
        await lute.WaitForLineAsync(l => l.EndsWith("[Waits stdout] waiting", StringComparison.Ordinal), Workspace.DefaultTimeout);
        var mapped = (await File.ReadAllLinesAsync($"/proc/{lute.Id}/maps")).Where(l => l.EndsWith(".dll", StringComparison.Ordinal)).ToArray();
        await File.WriteAllTextAsync(gate, "go\n");
        Assert.True(await lute.WaitForExitAsync(Workspace.DefaultTimeout) == ExitCodes.Completed, lute.Output);
        return mapped;
    }
}
