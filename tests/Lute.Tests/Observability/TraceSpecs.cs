using Lute.Host.Running;
using Lute.Tests.Integration;
using Lute.Tests.Support;

namespace Lute.Tests.Observability;

/// <summary>
/// Traces of <c>lute run</c> over OTLP/HTTP to a real receiver (Kestrel on 127.0.0.1): a span per run with children
/// for its tasklets, its hook calls and the task, exported before <c>lute run</c> exits, and the task's TRACEPARENT
/// in the run's trace.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class TraceSpecs
{
    [Fact]
    public async Task A_traced_run_exports_its_span_with_tasklets_hooks_and_the_task_as_children_and_the_task_gets_its_traceparent()
    {
        await using var receiver = await FacilityServer.StartAsync();
        receiver.Answer("/v1/traces", new Reply(200, string.Empty, "application/x-protobuf"));
        using var workspace = Workspace.Create("Lute.TestPlugins.Hooks");
        var events = workspace.PathOf("events.txt");
        workspace.WriteConfig($$"""
            hooks:
              - { use: test.record, on: [run_start, done], settings: { path: "{{events}}" } }
            """);
        var seen = workspace.PathOf("traceparent.txt");

        var (code, process) = await workspace.RunTaskAsync($$"""
            tasks:
              Traced:
                # The shipped Python client hands the task its traceparent.
                command: [python3, -c, 'import sys, lute_task; open(sys.argv[1], "w").write(lute_task.traceparent())', "{{seen}}"]
                environment: { prepend: { PYTHONPATH: "{{"{{ lute.python_client }}"}}" } }
                tasklets:
                  before: [ { name: prepare, command: [/bin/true] } ]
            """,
            Exporting(receiver));

        Assert.True(code == ExitCodes.Completed, process.Output);
        // lute has exited: everything it exported has arrived (the export is flushed before the exit).
        var spans = receiver.Requests.Where(r => r.Path == "/v1/traces").SelectMany(r => OtlpSpans.Decode(r.Body)).ToList();
        var run = Assert.Single(spans, s => s.Name == "run Traced");
        var task = Assert.Single(spans, s => s.Name == "task Traced");
        var tasklet = Assert.Single(spans, s => s.Name == "tasklet before prepare");
        var hooks = spans.Where(s => s.Name.StartsWith("hook test.record ", StringComparison.Ordinal)).ToList();
        Assert.Equal(["hook test.record done", "hook test.record run_start"], hooks.Select(h => h.Name).Order(StringComparer.Ordinal));
        Assert.All(spans, s => Assert.Equal(run.TraceId, s.TraceId));
        Assert.Equal(string.Empty, run.ParentSpanId);
        Assert.All([task, tasklet, .. hooks], s => Assert.Equal(run.SpanId, s.ParentSpanId));
        // W3C traceparent: version 00, the run's trace, the task's span, flags with "sampled" set (.NET also sets "random").
        var traceParent = await File.ReadAllTextAsync(seen);
        Assert.StartsWith($"00-{run.TraceId}-{task.SpanId}-", traceParent, StringComparison.Ordinal);
        Assert.True((Convert.ToInt32(traceParent[^2..], 16) & 1) == 1, traceParent);
    }

    [Fact]
    public async Task A_failing_hooks_span_says_error_with_the_failure_and_the_csharp_client_reads_the_tasks_traceparent()
    {
        await using var receiver = await FacilityServer.StartAsync();
        receiver.Answer("/v1/traces", new Reply(200, string.Empty, "application/x-protobuf"));
        using var workspace = Workspace.Create("Lute.TestPlugins.Hooks");
        workspace.WriteConfig("""
            hooks:
              - { use: test.throw, on: [run_start] }
            """);
        var seen = workspace.PathOf("traceparent.txt");
        var (code, process) = await workspace.RunTaskAsync($$"""
            tasks:
              Traced:
                command: ["{{Repo.TestTask}}", traceparent, "{{seen}}"]
            """,
            Exporting(receiver));

        // A hook that throws is not critical: the run completes, its span says OK, the hook's span says ERROR and why.
        Assert.True(code == ExitCodes.Completed, process.Output);
        var spans = receiver.Requests.Where(r => r.Path == "/v1/traces").SelectMany(r => OtlpSpans.Decode(r.Body)).ToList();
        var run = Assert.Single(spans, s => s.Name == "run Traced");
        var hook = Assert.Single(spans, s => s.Name == "hook test.throw run_start");
        var task = Assert.Single(spans, s => s.Name == "task Traced");
        Assert.Equal((1, 2), (run.StatusCode, hook.StatusCode));
        Assert.Contains("test.throw refuses run_start", hook.StatusMessage, StringComparison.Ordinal);
        Assert.Equal(run.SpanId, hook.ParentSpanId);
        Assert.StartsWith($"00-{run.TraceId}-{task.SpanId}-", await File.ReadAllTextAsync(seen), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_otel_variables_nothing_is_exported_and_the_task_gets_no_traceparent()
    {
        using var workspace = Workspace.Create();
        var seen = workspace.PathOf("traceparent.txt");

        var (code, process) = await workspace.RunTaskAsync($$"""
            tasks:
              Plain:
                command: [sh, -c, 'printf %s "${TRACEPARENT-unset}" > "{{seen}}"']
            """,
            new Dictionary<string, string?>
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = null, ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = null, ["OTEL_TRACES_EXPORTER"] = null, ["TRACEPARENT"] = null,
            });

        Assert.True(code == ExitCodes.Completed, process.Output);
        Assert.Equal("unset", await File.ReadAllTextAsync(seen));
    }

    /// <summary>lute's environment for an OTLP/HTTP export to <paramref name="receiver"/>, and no trace of its own parent.</summary>
    private static Dictionary<string, string?> Exporting(FacilityServer receiver) => new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Url.ToString().TrimEnd('/'),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_TRACES_EXPORTER"] = null,
        ["OTEL_SDK_DISABLED"] = null,
        ["TRACEPARENT"] = null,
    };
}
