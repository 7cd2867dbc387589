using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Lute.Contracts;
using Lute.Host.Running;
using Lute.Host.Store;
using Lute.Tests.Integration;
using Lute.Tests.Support;

namespace Lute.Tests.Dashboard;

/// <summary>
/// What <c>lute dashboard</c> shows, read from a real server over HTTP: filtered keyset pages, a run's page with every
/// field <c>lute show</c> prints, the live stream as runs start and end, the store's metrics, the sandboxed report.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed partial class DashboardPagesSpecs
{
    private static readonly string[] Tasks = ["FindPeaks", "Index", "Merge"];

    [Fact]
    public async Task Pages_go_back_by_run_id_and_filters_list_exactly_the_matching_runs()
    {
        using var workspace = Workspace.Create();
        await StoreSeed.AddAsync(workspace.StorePath, 130, i => (
            StoreSeed.Run(Tasks[i % 3], i, host: i % 2 == 0 ? "node-a" : "node-b", experiment: i < 65 ? "mfx" : "cxi"),
            i % 5 == 0 ? RunStatus.Failed : RunStatus.Completed,
            1 + i));
        await using var server = await DashboardServer.StartAsync(workspace);

        var first = await server.GetTextAsync("/");
        Assert.Equal(Enumerable.Range(81, 50).Reverse(), RowIds(first));
        Assert.Contains("<span id=\"count\">130</span>", first, StringComparison.Ordinal);
        var second = await server.GetTextAsync(OlderLink(first)!);
        Assert.Equal(Enumerable.Range(31, 50).Reverse(), RowIds(second));
        var third = await server.GetTextAsync(OlderLink(second)!);
        Assert.Equal(Enumerable.Range(1, 30).Reverse(), RowIds(third));
        Assert.Null(OlderLink(third));

        // Run i+1 is task Tasks[i % 3], on node-a when i is even, FAILED when i % 5 == 0, experiment mfx for i < 65.
        var cases = new (string Query, Func<int, bool> Matches)[]
        {
            ("task=Index", i => i % 3 == 1),
            ("status=failed", i => i % 5 == 0),
            ("host=node-b&status=COMPLETED", i => i % 2 == 1 && i % 5 != 0),
            ("experiment=cxi&task=Merge", i => i >= 65 && i % 3 == 2),
            ("from=2026-11-01T08:10&to=2026-11-01T08:20", i => i is >= 10 and < 20),
            ("task=Nothing", _ => false),
        };
        foreach (var (query, matches) in cases)
        {
            var expected = Enumerable.Range(0, 130).Where(matches).Select(i => i + 1).Reverse().ToList();
            var ids = new List<int>();
            var page = await server.GetTextAsync("/?" + query);
            Assert.Contains($"<span id=\"count\">{expected.Count}</span>", page, StringComparison.Ordinal);
            while (true)
            {
                ids.AddRange(RowIds(page));
                if (OlderLink(page) is not { } older)
                {
                    break;
                }

                Assert.Contains(query.Split('&')[0], older, StringComparison.Ordinal);
                page = await server.GetTextAsync(older);
            }

            Assert.True(expected.SequenceEqual(ids), $"{query}: expected {string.Join(",", expected)}, listed {string.Join(",", ids)}");
        }

        var bad = await server.GetTextAsync("/?status=FINE&from=yesterday");
        Assert.Contains("status &#x27;FINE&#x27; is not one of PENDING, RUNNING", bad, StringComparison.Ordinal);
        Assert.Contains("from &#x27;yesterday&#x27; is not a time", bad, StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(81, 50).Reverse(), RowIds(bad));
    }

    [Fact]
    public async Task A_runs_page_shows_every_field_lute_show_prints_with_the_same_values()
    {
        using var workspace = Workspace.Create();
        long id;
        await using (var store = await SqliteRunRecorder.OpenAsync(workspace.StorePath))
        {
            id = await store.StartedAsync(SampleRuns.Started(), CancellationToken.None);
            await store.LaunchedAsync(id, SampleRuns.Launched(), CancellationToken.None);
            await store.FinishedAsync(id, SampleRuns.Finished(), CancellationToken.None);
        }

        var (code, show) = await workspace.LuteAsync("show", id.ToString(CultureInfo.InvariantCulture));
        using (show)
        {
            Assert.True(code == 0, show.Output);
            await using var server = await DashboardServer.StartAsync(workspace);
            var page = await server.GetTextAsync($"/runs/{id}");
            var fields = Field().Matches(page).ToDictionary(m => m.Groups["key"].Value, m => WebUtility.HtmlDecode(m.Groups["value"].Value));
            var compared = 0;
            foreach (var line in show.Stdout.Where(l => l.Length > 15 && l[14] == ' ' && l.Contains(':', StringComparison.Ordinal) && !l.StartsWith(' ')))
            {
                var key = line[..line.IndexOf(':', StringComparison.Ordinal)];
                var value = line[15..];
                if (!fields.TryGetValue(key, out var shown))
                {
                    continue;
                }

                Assert.True(value == shown, $"{key}: lute show prints '{value}', the page '{shown}'");
                compared++;
            }

            Assert.True(compared >= 20, $"only {compared} fields compared:\n{show.Output}");
            foreach (var json in new[] { "command", "parameters", "environment", "details", "summary", "payload", "metadata" })
            {
                Assert.True(fields.ContainsKey(json), $"no {json} on the page");
            }

            Assert.Contains("<table id=\"hook-errors\">", page, StringComparison.Ordinal);
            Assert.Contains("POST failed after 3 attempt(s)", page, StringComparison.Ordinal);
            Assert.Contains("<table id=\"undelivered\">", page, StringComparison.Ordinal);
            Assert.Contains("POST http://h/x", page, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync(new Uri("/runs/999", UriKind.Relative))).StatusCode);
        }
    }

    [Fact]
    public async Task The_live_stream_sends_a_run_when_it_starts_and_again_when_it_ends_and_only_runs_of_its_filter()
    {
        using var workspace = Workspace.Create();
        await StoreSeed.AddAsync(workspace.StorePath, 2, i => (StoreSeed.Run("Index", i), RunStatus.Completed, 1));
        await using var server = await DashboardServer.StartAsync(workspace);
        using var all = await LiveStream.OpenAsync(server, "/events/runs?after=2");
        using var merges = await LiveStream.OpenAsync(server, "/events/runs?task=Merge&after=2");

        await using var store = await SqliteRunRecorder.OpenAsync(workspace.StorePath);
        var index = await store.StartedAsync(StoreSeed.Run("Index", 10) with { StartedAt = DateTimeOffset.UtcNow }, CancellationToken.None);
        var started = await all.NextAsync("run");
        Assert.Equal((index, "Index", "PENDING", false), (started.GetProperty("id").GetInt64(), started.GetProperty("task").GetString(),
            started.GetProperty("status").GetString(), started.GetProperty("ended").GetBoolean()));

        var merge = await store.StartedAsync(StoreSeed.Run("Merge", 11) with { StartedAt = DateTimeOffset.UtcNow }, CancellationToken.None);
        await store.FinishedAsync(index, StoreSeed.Ended(RunStatus.Completed, DateTimeOffset.UtcNow, 0.5), CancellationToken.None);
        var seen = new List<(long, string?, bool)>();
        while (seen.Count < 2 || !seen.Contains((index, "COMPLETED", true)))
        {
            var next = await all.NextAsync("run");
            seen.Add((next.GetProperty("id").GetInt64(), next.GetProperty("status").GetString(), next.GetProperty("ended").GetBoolean()));
        }

        Assert.Contains((merge, "PENDING", false), seen);
        var filtered = await merges.NextAsync("run");
        Assert.Equal(merge, filtered.GetProperty("id").GetInt64());
        await store.FinishedAsync(merge, StoreSeed.Ended(RunStatus.Failed, DateTimeOffset.UtcNow, 0.5, "exit code 1"), CancellationToken.None);
        var ended = await merges.NextAsync("run");
        Assert.Equal((merge, "FAILED", "exit code 1"), (ended.GetProperty("id").GetInt64(), ended.GetProperty("status").GetString(), ended.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task Runs_and_the_dashboard_share_the_store_without_it_ever_being_locked()
    {
        const int Runs = 8;
        using var workspace = Workspace.Create();
        await StoreSeed.AddAsync(workspace.StorePath, 300, i => (StoreSeed.Run(Tasks[i % 3], i), RunStatus.Completed, 1));
        await using var server = await DashboardServer.StartAsync(workspace);
        using var stream = await LiveStream.OpenAsync(server, "/events/runs?after=300");
        var tasks = workspace.Write("tasks.yaml", """
            tasks:
              Quick:
                command: [sh, -c, 'for i in 1 2 3 4 5; do echo "line $i"; done']
            """);
        var runners = Enumerable.Range(0, Runs).Select(_ => workspace.Start(["run", tasks])).ToList();
        try
        {
            // Readers meanwhile: pages, plots and metrics, each a full read of the store.
            var readers = Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
                await server.GetTextAsync(i % 3 == 0 ? "/plots" : i % 3 == 1 ? "/metrics" : "/?status=COMPLETED")));
            var ended = new HashSet<long>();
            while (ended.Count < Runs)
            {
                var run = await stream.NextAsync("run");
                if (run.GetProperty("ended").GetBoolean())
                {
                    Assert.Equal("COMPLETED", run.GetProperty("status").GetString());
                    ended.Add(run.GetProperty("id").GetInt64());
                }
            }

            await readers;
            foreach (var runner in runners)
            {
                Assert.True(await runner.WaitForExitAsync(Workspace.DefaultTimeout) == ExitCodes.Completed, runner.Output);
                Assert.DoesNotContain("locked", runner.Output, StringComparison.OrdinalIgnoreCase);
            }

            Assert.Equal(Enumerable.Range(301, Runs).Select(i => (long)i), ended.Order());
            Assert.DoesNotContain("locked", server.Process.Output, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            runners.ForEach(r => r.Dispose());
        }
    }

    [Fact]
    public async Task Metrics_count_the_stores_runs_by_status_and_each_finished_runs_duration_once()
    {
        using var workspace = Workspace.Create();
        await StoreSeed.AddAsync(workspace.StorePath, 4, i => (StoreSeed.Run("Index", i), i == 3 ? RunStatus.Failed : RunStatus.Completed, i + 1));
        await using var server = await DashboardServer.StartAsync(workspace);
        var metrics = await server.GetTextAsync("/metrics");
        Assert.Contains("lute_store_runs{status=\"COMPLETED\"} 3\n", metrics, StringComparison.Ordinal);
        Assert.Contains("lute_store_runs{status=\"FAILED\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("lute_store_run_duration_seconds_sum{task=\"Index\",status=\"COMPLETED\"} 6\n", metrics, StringComparison.Ordinal);
        Assert.Contains("lute_store_run_duration_seconds_count{task=\"Index\",status=\"COMPLETED\"} 3\n", metrics, StringComparison.Ordinal);

        await using (var store = await SqliteRunRecorder.OpenAsync(workspace.StorePath))
        {
            var id = await store.StartedAsync(StoreSeed.Run("Index", 9), CancellationToken.None);
            metrics = await server.GetTextAsync("/metrics");
            Assert.Contains("lute_store_runs{status=\"PENDING\"} 1\n", metrics, StringComparison.Ordinal);
            Assert.Contains("lute_store_run_duration_seconds_count{task=\"Index\",status=\"COMPLETED\"} 3\n", metrics, StringComparison.Ordinal);
            await store.FinishedAsync(id, StoreSeed.Ended(RunStatus.Completed, StoreSeed.Start.AddMinutes(9), 4), CancellationToken.None);
        }

        for (var scrape = 0; scrape < 2; scrape++)
        {
            metrics = await server.GetTextAsync("/metrics");
            Assert.Contains("lute_store_run_duration_seconds_count{task=\"Index\",status=\"COMPLETED\"} 4\n", metrics, StringComparison.Ordinal);
            Assert.Contains("lute_store_run_duration_seconds_sum{task=\"Index\",status=\"COMPLETED\"} 10\n", metrics, StringComparison.Ordinal);
            Assert.Contains("lute_store_runs{status=\"PENDING\"} 0\n", metrics, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Every_page_carries_the_strict_policy_and_the_report_is_served_sandboxed()
    {
        using var workspace = Workspace.Create();
        var report = workspace.Write("1-Index.report.html", "<!DOCTYPE html><p>figure</p><script>document.title='ran'</script>");
        await using (var store = await SqliteRunRecorder.OpenAsync(workspace.StorePath))
        {
            var id = await store.StartedAsync(StoreSeed.Run("Index", 0), CancellationToken.None);
            await store.FinishedAsync(id, StoreSeed.Ended(RunStatus.Completed, StoreSeed.Start, 1) with { ReportPath = report }, CancellationToken.None);
        }

        await using var server = await DashboardServer.StartAsync(workspace);
        foreach (var path in new[] { "/", "/plots", "/runs/1", "/runs/1/cancel", "/static/dashboard.js", "/metrics" })
        {
            using var answer = await server.Client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal(
                "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
                answer.Headers.GetValues("Content-Security-Policy").Single());
            Assert.Equal("nosniff", answer.Headers.GetValues("X-Content-Type-Options").Single());
        }

        Assert.Contains("href=\"/runs/1/report\"", await server.GetTextAsync("/runs/1"), StringComparison.Ordinal);
        using var served = await server.Client.GetAsync(new Uri("/runs/1/report", UriKind.Relative));
        Assert.StartsWith("sandbox;", served.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal(await File.ReadAllTextAsync(report), await served.Content.ReadAsStringAsync());
    }

    private static List<int> RowIds(string page) =>
        [.. RowId().Matches(page).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];

    private static string? OlderLink(string page) =>
        Older().Match(page) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;

    [GeneratedRegex("<tr id=\"run-(\\d+)\"")]
    private static partial Regex RowId();

    [GeneratedRegex("<a id=\"older\" href=\"([^\"]+)\"")]
    private static partial Regex Older();

    [GeneratedRegex("data-field=\"(?<key>[^\"]+)\">(?<value>[^<]*)<")]
    private static partial Regex Field();
}
