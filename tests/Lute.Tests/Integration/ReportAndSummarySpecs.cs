using System.Text.Json;
using Lute.Host.Running;
using Lute.Tests.Support;

namespace Lute.Tests.Integration;

[Collection(ProcessCollection.Name)]
public sealed class ReportAndSummarySpecs
{
    [Fact]
    public async Task Figures_and_fragments_the_task_sends_make_one_self_contained_html_report_whose_path_is_recorded()
    {
        using var workspace = Workspace.Create();
        workspace.Write("plot.py", """
            import lute_task
            with lute_task.connect() as lute:
                lute.report(title="Hit rate", html="<table id='hits'><tr><td>0.31</td></tr></table>")
                lute.report(title="Notes", text="<not markup> & more")
                lute.report(title="Detector", image=b"\x89PNG\r\n\x1a\n0000", media_type="image/png")
                lute.send("TASK_RESULT", {"report": [{"title": "broken", "image": "not base64!"}]})
                lute.result(summary={"hits": "31"})
            """);

        var (code, process) = await workspace.RunTaskAsync($$"""
            tasks:
              Plot:
                command: [python3, plot.py]
                environment: { prepend: { PYTHONPATH: "{{Repo.PythonClient}}" } }
            """);

        Assert.True(code == ExitCodes.Completed, process.Output);
        var run = await workspace.LatestRunAsync();
        Assert.NotNull(run.ReportPath);
        Assert.Equal(Path.GetDirectoryName(run.LogPath), Path.GetDirectoryName(run.ReportPath));
        var html = await File.ReadAllTextAsync(run.ReportPath!);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("<table id='hits'><tr><td>0.31</td></tr></table>", html, StringComparison.Ordinal);
        Assert.Contains("<pre>&lt;not markup&gt; &amp; more</pre>", html, StringComparison.Ordinal);
        Assert.Contains("src=\"data:image/png;base64,iVBORw0KGgowMDAw\"", html, StringComparison.Ordinal);
        Assert.Contains("<tr><th>hits</th><td>31</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("1 item(s) were left out", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<link", html, StringComparison.Ordinal);
        Assert.DoesNotContain("src=\"http", html, StringComparison.Ordinal);
        var show = await workspace.LuteAsync("show", run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains($"report:        {run.ReportPath}", show.Process.Stdout);
    }

    [Fact]
    public async Task A_run_whose_task_sends_nothing_for_a_report_has_none()
    {
        using var workspace = Workspace.Create();

        var (code, process) = await workspace.RunTaskAsync("tasks:\n  Quiet:\n    command: [\"true\"]\n");

        Assert.True(code == ExitCodes.Completed, process.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Null(run.ReportPath);
        Assert.Empty(Directory.GetFiles(workspace.LogDirectory, "*.html"));
    }

    [Fact]
    public async Task A_tasklet_map_output_becomes_summary_key_values_and_several_outputs_under_one_key_collect_into_a_list()
    {
        using var workspace = Workspace.Create("Lute.TestPlugins.Hooks");

        var (code, process) = await workspace.RunTaskAsync("""
            tasks:
              Check:
                command: ["true"]
                tasklets:
                  after:
                    - { command: [echo, '{"n_peaks": "12", "resolution": 1.8}'], summary: true }
                    - { command: [echo, first note], summary: notes }
                    - { use: test.echo, args: [second, note], summary: notes }
                    - { command: [echo, '{"kept": "as text"}'], summary: raw }
            """);

        Assert.True(code == ExitCodes.Completed, process.Output);
        var summary = (await workspace.LatestRunAsync()).SummaryValues();
        Assert.Equal("12", summary["n_peaks"]);
        Assert.Equal("1.8", summary["resolution"]);
        Assert.Equal(["first note", "second note"], JsonSerializer.Deserialize<string[]>(summary["notes"])!);
        Assert.Equal("{\"kept\": \"as text\"}", summary["raw"]);
        Assert.False(summary.ContainsKey("echo"));
    }
}
