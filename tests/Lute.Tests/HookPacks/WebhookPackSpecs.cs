using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Lute.Contracts;
using Lute.Host.Running;
using Lute.Tests.Integration;
using Lute.Tests.Support;

namespace Lute.Tests.HookPacks;

[Collection(ProcessCollection.Name)]
public sealed class WebhookPackSpecs
{
    private const string Secret = "s3cr3t-webhook-key-0042";

    private const string EchoTask = """
        tasks:
          Echo:
            command: [sh, -c, "echo one"]
        """;

    private static readonly Dictionary<string, string?> Environment = new() { ["WEBHOOK_SECRET"] = Secret };

    private static Workspace Create()
    {
        var workspace = Workspace.Create();
        workspace.Link(Repo.Plugin("Lute.Hooks.Webhook"));
        return workspace;
    }

    private static string Binding(Uri url, string on, string extra = "") =>
        $$"""
        hooks:
          - use: webhook.post
            on: [{{on}}]
            timeout: 20s
            settings:
              url: "{{url}}hooks/runs"
              secret: { env: WEBHOOK_SECRET }
              http: { retries: 2, retry_delay: 50ms, attempt_timeout: 2s, total_timeout: 8s }
        {{extra}}
        """;

    [Fact]
    public async Task Posts_each_bound_event_as_json_signed_with_hmac_sha256_over_the_body()
    {
        await using var server = await FacilityServer.StartAsync();
        using var workspace = Create();
        workspace.WriteConfig(Binding(server.Url, "run_start, log, done"));

        var (code, process) = await workspace.RunTaskAsync(EchoTask, Environment);

        Assert.True(code == ExitCodes.Completed, process.Output);
        var requests = server.Requests;
        Assert.Equal(["run_start", "log", "done"], requests.Select(r => r.Json.GetProperty("event").GetString()));
        foreach (var request in requests)
        {
            Assert.Equal("POST", request.Method);
            Assert.Equal("/hooks/runs", request.Path);
            var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), request.Body));
            Assert.Equal(expected, request.Header("X-Lute-Signature-256"));
            Assert.Equal(request.Json.GetProperty("event").GetString(), request.Header("X-Lute-Event"));
            Assert.Equal("Echo", request.Json.GetProperty("run").GetProperty("task").GetString());
        }

        Assert.Equal("one", requests[1].Json.GetProperty("data").GetProperty("text").GetString());
        var done = requests[2].Json.GetProperty("data");
        Assert.Equal("COMPLETED", done.GetProperty("status").GetString());
        Assert.Equal(0, done.GetProperty("exit_code").GetInt32());

        var run = await workspace.LatestRunAsync();
        Assert.Empty(run.Undelivered);
        Assert.DoesNotContain(Secret, await File.ReadAllTextAsync(run.LogPath!), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, process.Output, StringComparison.Ordinal);
        Assert.False(ContainsBytes(await File.ReadAllBytesAsync(workspace.StorePath), Encoding.UTF8.GetBytes(Secret)));
    }

    [Fact]
    public async Task Each_binding_gets_its_own_settings_over_the_plugins()
    {
        await using var server = await FacilityServer.StartAsync();
        using var workspace = Create();
        workspace.WriteConfig($$"""
            plugins:
              - name: Lute.Hooks.Webhook
                settings: { url: "{{server.Url}}plugin-wide", secret: { env: WEBHOOK_SECRET } }
            hooks:
              - { use: webhook.post, on: [run_start] }
              - { use: webhook.post, on: [done], settings: { url: "{{server.Url}}for-done" } }
            """);

        var (code, process) = await workspace.RunTaskAsync(EchoTask, Environment);

        Assert.True(code == ExitCodes.Completed, process.Output);
        Assert.Equal(["/plugin-wide run_start", "/for-done done"], server.Requests.Select(r => $"{r.Path} {r.Json.GetProperty("event").GetString()}"));
    }

    [Fact]
    public async Task A_service_answering_500_is_retried_then_the_post_is_recorded_undelivered_and_the_task_completes()
    {
        await using var server = await FacilityServer.StartAsync();
        server.Answer("/hooks/runs", Reply.Error(500));
        using var workspace = Create();
        workspace.WriteConfig(Binding(server.Url, "done"));

        var (code, process) = await workspace.RunTaskAsync(EchoTask, Environment);

        Assert.True(code == ExitCodes.Completed, process.Output);
        Assert.Equal(3, server.Requests.Count);
        var run = await workspace.LatestRunAsync();
        Assert.Equal(RunStatus.Completed, run.Status);
        var undelivered = Assert.Single(run.Undelivered);
        Assert.Equal("webhook.post", undelivered.Hook);
        Assert.Equal("done", undelivered.Event);
        Assert.Equal($"{server.Url}hooks/runs", undelivered.Destination);
        Assert.Equal(3, undelivered.Attempts);
        Assert.StartsWith("HTTP 500", undelivered.Error, StringComparison.Ordinal);
        // The body is kept whole, so the post can be sent again.
        Assert.Equal("COMPLETED", JsonDocument.Parse(undelivered.Body).RootElement.GetProperty("data").GetProperty("status").GetString());
        var error = Assert.Single(run.HookErrors);
        Assert.Equal("webhook.post", error.Hook);
        Assert.Contains(process.Stderr, l => l.Contains("Hook webhook.post failed on event done", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_service_that_is_down_delays_the_run_no_more_than_the_bound_and_loses_no_post()
    {
        var closedPort = ClosedPort();
        using var workspace = Create();
        workspace.WriteConfig(Binding(new Uri($"http://127.0.0.1:{closedPort}/"), "run_start, launched, exited, done"));

        var clock = Stopwatch.StartNew();
        var (code, process) = await workspace.RunTaskAsync(EchoTask, Environment);

        Assert.True(code == ExitCodes.Completed, process.Output);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the run took {clock.Elapsed}");
        var run = await workspace.LatestRunAsync();
        var undelivered = run.Undelivered;
        Assert.Equal(["run_start", "launched", "exited", "done"], undelivered.Select(u => u.Event));
        Assert.All(undelivered, u => Assert.NotEmpty(u.Body));
        Assert.Contains("cannot reach the service", undelivered[0].Error, StringComparison.Ordinal);
        // After six failed attempts in a row the service is taken as down: later posts fail at once.
        Assert.Equal(0, undelivered[^1].Attempts);
    }

    [Fact]
    public async Task A_slow_service_is_abandoned_after_the_total_bound_and_the_post_is_recorded()
    {
        await using var server = await FacilityServer.StartAsync();
        server.Answer("/hooks/runs", Reply.NoAnswer);
        using var workspace = Create();
        workspace.WriteConfig($$"""
            hooks:
              - use: webhook.post
                on: [done]
                settings:
                  url: "{{server.Url}}hooks/runs"
                  secret: { env: WEBHOOK_SECRET }
                  http: { retries: 1, retry_delay: 10ms, attempt_timeout: 300ms, total_timeout: 2s }
            """);

        var clock = Stopwatch.StartNew();
        var (code, process) = await workspace.RunTaskAsync(EchoTask, Environment);

        Assert.True(code == ExitCodes.Completed, process.Output);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"the run took {clock.Elapsed}");
        var run = await workspace.LatestRunAsync();
        var undelivered = Assert.Single(run.Undelivered);
        Assert.Equal(2, undelivered.Attempts);
        Assert.Contains("no answer in time", undelivered.Error, StringComparison.Ordinal);
        // Every attempt that reached the server is recorded; on a loaded machine the client may abandon the second
        // one before the server has read it, so the client's own count above is the exact one.
        var received = await server.WaitForAsync(r => r.Count >= 1, Workspace.DefaultTimeout);
        Assert.InRange(received.Count, 1, 2);
    }

    [Fact]
    public async Task A_critical_webhook_that_fails_fails_the_run_with_the_reason()
    {
        await using var server = await FacilityServer.StartAsync();
        server.Answer("/hooks/runs", Reply.Error(503));
        using var workspace = Create();
        workspace.WriteConfig($$"""
            hooks:
              - use: webhook.post
                on: [launched]
                critical: true
                settings:
                  url: "{{server.Url}}hooks/runs"
                  secret: { env: WEBHOOK_SECRET }
                  http: { retries: 0 }
            """);

        var (code, process) = await workspace.RunTaskAsync("""
            tasks:
              Long:
                command: [sleep, "600"]
                grace_period: 2s
            """, Environment);

        Assert.True(code == ExitCodes.Failed, process.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("critical hook 'webhook.post' failed on event 'launched'", run.Reason, StringComparison.Ordinal);
        Assert.Contains("HTTP 503", run.Reason, StringComparison.Ordinal);
        Assert.NotEmpty(run.Undelivered);
    }

    [Theory]
    [InlineData("secret: { env: WEBHOOK_SECRET }", "setting 'url' is required")]
    [InlineData("url: ftp://example.org/x\n      secret: { env: WEBHOOK_SECRET }", "setting 'url' must be an absolute http or https URL")]
    [InlineData("url: http://127.0.0.1:9/x\n      secret: { env: WEBHOOK_SECRET }\n      http: { retries: many }", "setting 'http:retries' must be a whole number, not 'many'")]
    [InlineData("url: http://127.0.0.1:9/x\n      secret: { env: WEBHOOK_SECRET }\n      http: { total_timeout: soon }", "setting 'http:total_timeout' must be a duration such as 500ms, 30s, 10m, 2h, 1d or a number of seconds, not 'soon'")]
    [InlineData("url: http://127.0.0.1:9/x\n      secret: { env: NOT_SET_ANYWHERE }", "setting 'secret' names the environment variable NOT_SET_ANYWHERE, which is not set")]
    [InlineData("url: http://127.0.0.1:9/x\n      secret: " + Secret, "setting 'secret' must name where the secret is kept")]
    [InlineData("url: http://127.0.0.1:9/x\n      secret: { env: WEBHOOK_SECRET }\n      retires: 3", "setting 'retires' is not a known setting")]
    public async Task Settings_that_are_missing_or_malformed_stop_the_run_before_launch_naming_the_pack_and_the_key(string settings, string message)
    {
        using var workspace = Create();
        workspace.WriteConfig($"""
            hooks:
              - use: webhook.post
                settings:
                  {settings}
            """);

        var (code, process) = await workspace.RunTaskAsync(EchoTask, Environment);

        Assert.True(code == ExitCodes.BadInput, process.Output);
        var error = Assert.Single(process.Stderr, l => l.StartsWith("lute: error:", StringComparison.Ordinal));
        Assert.True(error.Contains("plugins.yaml:5:5: plugin Lute.Hooks.Webhook could not create hook 'webhook.post'", StringComparison.Ordinal), error);
        Assert.True(error.Contains(message, StringComparison.Ordinal), error);
        Assert.DoesNotContain(Secret, process.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(workspace.StorePath), "nothing is recorded when the settings are refused");
    }

    internal static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static bool ContainsBytes(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
