using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Lute.Contracts;
using Lute.Host.Store;
using Lute.Tests.Integration;
using Lute.Tests.Support;

namespace Lute.Tests.Dashboard;

/// <summary>
/// Hostile values x the places the dashboard puts them. One run carries the value in every text it has (task, names,
/// host, reason, description, command, parameters, environment, summary, hook errors, undelivered requests, log lines)
/// and the filter echoes it back (form values, the live stream's address, the problem message). Each page must have
/// exactly the markup it has for a plain value (the same tags in the same order: nothing the value said became
/// markup), must show the value back as text, and the live stream's JSON must carry it intact with no raw markup
/// characters. Contexts: element text, double-quoted attribute values, URL query values inside attributes, the page
/// title, preformatted JSON, inline SVG text and tooltips, and server-sent events.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed partial class DashboardEscapingSpecs
{
    private const string Plain = "PLAINVALUE";

    public static TheoryData<string> Hostile =>
    [
        "<script>window.lutePwned=1</script>",
        "\"><img src=x onerror=alert(1)>",
        "' onmouseover='alert(1)' x='",
        "</pre></td></tr></table><h1>forged</h1>",
        "]]></title></text></rect></svg><svg onload=alert(1)>",
        "javascript:alert(1)//",
        "&lt;b&gt;already encoded&lt;/b&gt; &amp; &#60;",
        "%3Cscript%3E?before=1&task=x#frag",
        "\u202Eevil\u2066 ünïcode 東京 🚀",
        "{{ lute.secret }} ${HOME} $(id) `id`",
        "<!-- open comment <![CDATA[x]]> <style>body{display:none}</style>",
        "\u001b[31mred\u001b[0m \\u003c/script\\u003e",
    ];

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task A_hostile_value_changes_no_pages_markup_and_shows_back_as_text(string value)
    {
        var plain = await PagesAsync(Plain);
        var hostile = await PagesAsync(value);
        foreach (var (page, html) in hostile.Pages)
        {
            var expected = Tags(plain.Pages[page]);
            var actual = Tags(html);
            Assert.True(expected.SequenceEqual(actual), $"{page}: the markup differs from a plain value's:\n{Diff(expected, actual)}");
            Assert.Contains(value, WebUtility.HtmlDecode(html), StringComparison.Ordinal);
            if (value.IndexOfAny(['<', '>', '"', '\'']) >= 0)
            {
                Assert.DoesNotContain(value, html, StringComparison.Ordinal);
            }
        }

        foreach (var data in hostile.Events)
        {
            Assert.True(data.IndexOfAny(['<', '>', '&', '\'']) < 0, $"raw markup characters in the stream: {data}");
            using var json = JsonDocument.Parse(data);
            Assert.Equal(value + "_01", json.RootElement.GetProperty("task").GetString());
            Assert.Equal(value, json.RootElement.GetProperty("host").GetString());
        }
    }

    private static async Task<(Dictionary<string, string> Pages, List<string> Events)> PagesAsync(string value)
    {
        using var workspace = Workspace.Create();
        var log = workspace.Write("1.log", $"""
            2026-11-01 08:00:00.100 INF [runner] Run 1: task {value} with executor local
            2026-11-01 08:00:00.500 INF [Index stdout] {value}
            2026-11-01 08:00:01.000 INF [runner] Run 1 ended FAILED ({value}) after 1s

            """);
        await using (var store = await SqliteRunRecorder.OpenAsync(workspace.StorePath))
        {
            var run = StoreSeed.Run(value, 0, host: value, experiment: value) with
            {
                TaskFullName = value + "_01",
                Description = value,
                TaskFile = value,
                Executor = value,
                ExperimentRun = value,
                Command = [value, "--x", value],
                Parameters = new Dictionary<string, string> { [value] = value },
                Environment = new Dictionary<string, string?> { ["V"] = value },
            };
            var id = await store.StartedAsync(run, CancellationToken.None);
            await store.FinishedAsync(id, StoreSeed.Ended(RunStatus.Failed, run.StartedAt, 1, value) with
            {
                LogPath = log,
                Summary = new Dictionary<string, string> { [value] = value },
                HookErrors = [new HookErrorEntry(value, value, run.StartedAt, value)],
                Undelivered = [new UndeliveredEntry(value, value, run.StartedAt, "POST", "http://h/" + value, null, value, value, 2)],
            }, CancellationToken.None);
            // A second run, not ended, on the hostile host: its confirmation page names the host.
            await store.StartedAsync(run with { StartedAt = run.StartedAt.AddMinutes(1) }, CancellationToken.None);
        }

        await using var server = await DashboardServer.StartAsync(workspace);
        var filter = Uri.EscapeDataString(value);
        var pages = new Dictionary<string, string>();
        foreach (var path in new[] { "/", $"/?task={filter}&host={filter}&experiment={filter}&from={filter}", $"/plots?task={filter}", "/runs/1", "/runs/2", "/runs/2/cancel" })
        {
            pages[path.Replace(filter, "V", StringComparison.Ordinal)] = await server.GetTextAsync(path);
        }

        var events = new List<string>();
        using var stream = await LiveStream.OpenAsync(server, $"/events/runs?task={filter}&after=0");
        for (var i = 0; i < 2; i++)
        {
            events.Add((await stream.NextAsync("run")).GetRawText());
        }

        return (pages, events);
    }

    /// <summary>The page's tags in order, as <c>&lt;name attr attr&gt;</c> with attribute names but not their values.</summary>
    private static List<string> Tags(string html) =>
        [.. Tag().Matches(html).Select(m => m.Groups["name"].Value + " " + string.Join(' ', Attribute().Matches(m.Groups["rest"].Value).Select(a => a.Groups[1].Value)))];

    private static string Diff(List<string> expected, List<string> actual)
    {
        var at = expected.Zip(actual).TakeWhile(p => p.First == p.Second).Count();
        return $"tag {at}: expected '{expected.ElementAtOrDefault(at)}', found '{actual.ElementAtOrDefault(at)}'";
    }

    /// <summary>A tag: its name and the rest up to its end (a quoted value may hold '&gt;' only encoded, so the first one ends it).</summary>
    [GeneratedRegex("<(?<name>/?[A-Za-z!][A-Za-z0-9-]*)(?<rest>(?:\"[^\"]*\"|[^>\"])*)>")]
    private static partial Regex Tag();

    /// <summary>An attribute's name, and its double-quoted value skipped as a browser would read it.</summary>
    [GeneratedRegex("\\s([A-Za-z-]+)(?:=\"[^\"]*\"|=[^\\s\"'>]+)?")]
    private static partial Regex Attribute();
}
