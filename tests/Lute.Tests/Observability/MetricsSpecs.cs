using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Lute.Host.Running;
using Lute.Tests.Integration;
using Lute.Tests.Support;

namespace Lute.Tests.Observability;

/// <summary>
/// <c>lute run --metrics</c>: the real Prometheus server (Debian's <c>prometheus</c>) scrapes a live run's
/// <c>/metrics</c>, and its query API returns what the task did. Fails when prometheus is not installed
/// (scripts/install-test-deps.sh installs it).
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class MetricsSpecs
{
    private const int Messages = 25;
    private static readonly TimeSpan ScrapeInterval = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task Prometheus_scraping_a_live_run_counts_the_messages_its_task_sent()
    {
        using var workspace = Workspace.Create("Lute.TestPlugins.Hooks");
        workspace.WriteConfig($$"""
            hooks:
              - { use: test.record, on: [run_start], settings: { path: "{{workspace.PathOf("events.txt")}}" } }
            """);
        var gate = workspace.MakeFifo("gate");
        var script = workspace.Write("counted.py", $$"""
            import sys, lute_task
            with lute_task.connect() as lute:
                for i in range({{Messages}}):
                    lute.log("message %d" % i)
                print("sent", flush=True)
                open(sys.argv[1]).read()
            """);
        var tasks = workspace.Write("tasks.yaml", $$"""
            tasks:
              Counted:
                command: [python3, "{{script}}", "{{gate}}"]
                environment: { prepend: { PYTHONPATH: "{{"{{ lute.python_client }}"}}" } }
            """);
        var (metricsPort, webPort) = (FreePort(), FreePort());
        using var lute = workspace.Start(["run", "--metrics", $"127.0.0.1:{metricsPort}", tasks]);
        await lute.WaitForLineAsync(l => l.EndsWith("[Counted stdout] sent", StringComparison.Ordinal), Workspace.DefaultTimeout);

        using var prometheus = StartPrometheus(workspace, metricsPort, webPort);
        var messages = await QueryUntilAsync(webPort, "sum(lute_messages_total{signal=\"TASK_LOG\"})", Messages.ToString(CultureInfo.InvariantCulture), prometheus);
        var running = await QueryUntilAsync(webPort, "lute_run_status{status=\"RUNNING\"}", "1", prometheus);
        var stdout = await QueryUntilAsync(webPort, "lute_lines_total{source=\"stdout\"}", "1", prometheus);
        var hookCalls = await QueryUntilAsync(webPort, "sum(lute_hook_calls_total{event=\"run_start\"})", "1", prometheus);
        var timed = await QueryUntilAsync(webPort, "sum(lute_hook_call_duration_seconds_count)", "1", prometheus);

        await File.WriteAllTextAsync(gate, "go\n");
        Assert.True(await lute.WaitForExitAsync(Workspace.DefaultTimeout) == ExitCodes.Completed, lute.Output);
        prometheus.Signal(15);
        await prometheus.WaitForExitAsync(Workspace.DefaultTimeout);
        Assert.Equal((Messages.ToString(CultureInfo.InvariantCulture), "1", "1", "1", "1"), (messages, running, stdout, hookCalls, timed));
    }

    [Fact]
    public async Task Run_metrics_count_an_undelivered_post_and_a_failing_hook_call()
    {
        await using var server = await FacilityServer.StartAsync();
        server.Answer("/hooks/runs", new Reply(500, "down", "text/plain"));
        using var workspace = Workspace.Create("Lute.TestPlugins.Hooks");
        workspace.Link(Repo.Plugin("Lute.Hooks.Webhook"));
        workspace.WriteConfig($$"""
            hooks:
              - use: webhook.post
                on: [run_start]
                settings:
                  url: "{{server.Url}}hooks/runs"
                  secret: { env: WEBHOOK_SECRET }
                  http: { retries: 0, attempt_timeout: 2s, total_timeout: 4s }
              - { use: test.throw, on: [run_start] }
            """);
        var gate = workspace.MakeFifo("gate");
        var tasks = workspace.Write("tasks.yaml", $$"""
            tasks:
              Waits:
                command: [sh, -c, 'read go < "{{gate}}"']
            """);
        var port = FreePort();
        using var lute = workspace.Start(["run", "--metrics", $"127.0.0.1:{port}", tasks], new Dictionary<string, string?> { ["WEBHOOK_SECRET"] = "k3y-for-the-test" });
        await lute.WaitForLineAsync(l => l.Contains("could not deliver POST", StringComparison.Ordinal), Workspace.DefaultTimeout);
        await lute.WaitForLineAsync(l => l.Contains("test.throw refuses run_start", StringComparison.Ordinal), Workspace.DefaultTimeout);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        var metrics = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
        await File.WriteAllTextAsync(gate, "go\n");
        Assert.True(await lute.WaitForExitAsync(Workspace.DefaultTimeout) == ExitCodes.Completed, lute.Output);
        Assert.Contains("lute_undelivered_posts_total{hook=\"webhook.post\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("lute_hook_failures_total{hook=\"test.throw\",event=\"run_start\"} 1\n", metrics, StringComparison.Ordinal);
        // The pack's post that was not delivered is also its call's failure (its log says so: "failed on event run_start").
        Assert.Contains("lute_hook_failures_total{hook=\"webhook.post\",event=\"run_start\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("lute_hook_calls_total{hook=\"webhook.post\",event=\"run_start\"} 1\n", metrics, StringComparison.Ordinal);
    }

    /// <summary>The real Prometheus, scraping 127.0.0.1:<paramref name="metricsPort"/> (with a bearer token when given).</summary>
    internal static ChildProcess StartPrometheus(Workspace workspace, int metricsPort, int webPort, string? bearer = null)
    {
        var authorization = bearer is null ? string.Empty : $"\n    authorization: {{ credentials: \"{bearer}\" }}";
        var config = workspace.Write("prometheus.yml", $$"""
            global: { scrape_interval: {{ScrapeInterval.TotalMilliseconds}}ms, scrape_timeout: 400ms }
            scrape_configs:
              - job_name: lute
                static_configs: [ { targets: ["127.0.0.1:{{metricsPort}}"] } ]{{authorization}}
            """);
        return ChildProcess.Start("prometheus", [
            $"--config.file={config}", $"--storage.tsdb.path={workspace.PathOf("tsdb")}", $"--web.listen-address=127.0.0.1:{webPort}",
        ], workspace.Root);
    }

    /// <summary>
    /// Asks Prometheus once per scrape interval (it has no way to wait for a value) until the query's first value is
    /// <paramref name="expected"/>; fails after a bound with the last answer.
    /// </summary>
    internal static async Task<string?> QueryUntilAsync(int webPort, string query, string expected, ChildProcess prometheus)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri($"http://127.0.0.1:{webPort}"), Timeout = TimeSpan.FromSeconds(5) };
        using var timer = new PeriodicTimer(ScrapeInterval);
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        string? last = null;
        do
        {
            try
            {
                using var answer = JsonDocument.Parse(await http.GetStringAsync($"/api/v1/query?query={Uri.EscapeDataString(query)}", bound.Token));
                var result = answer.RootElement.GetProperty("data").GetProperty("result");
                last = result.GetArrayLength() > 0 ? result[0].GetProperty("value")[1].GetString() : null;
                if (last == expected)
                {
                    return last;
                }
            }
            catch (Exception e) when (e is HttpRequestException or HttpIOException || (e is TaskCanceledException && !bound.IsCancellationRequested))
            {
                // Prometheus is still starting: it may accept connections before it answers.
                last = e.Message;
            }
        }
        while (await WaitAsync(timer, bound.Token));

        throw new TimeoutException($"Prometheus never answered {expected} to {query} (last: {last ?? "nothing"}); its output:\n{prometheus.Output}");
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
