using Lute.Contracts;
using Lute.Host.Store;
using Microsoft.AspNetCore.Http;

namespace Lute.Dashboard.Pages;

/// <summary>
/// The runs, newest first, a page at a time (keyset: <c>?before=ID</c>), with the filter form. The first page follows
/// the store live: its script opens the stream named by <c>data-live</c> and adds or updates rows as runs start and end.
/// </summary>
internal static class RunsPage
{
    public const int PageSize = 50;

    public static async Task<IResult> RenderAsync(HttpRequest request, DashboardContext context, CancellationToken cancellationToken)
    {
        var query = FilterQuery.Read(request.Query);
        var page = await context.Browser.PageAsync(query.Filter, query.Before, PageSize, cancellationToken).ConfigureAwait(false);
        var count = await context.Browser.CountAsync(query.Filter, cancellationToken).ConfigureAwait(false);
        var given = FilterQuery.Given(request.Query).ToList();
        string? live = null;
        if (query.Before is null)
        {
            // The stream gets the same filter, the newest id shown and the runs shown that have not ended.
            var after = page.Runs.Count == 0 ? 0 : page.Runs[0].Id;
            var watched = string.Join(',', page.Runs.Where(r => r.EndedAt is null).Select(r => r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            live = Html.Url("/events/runs", given.Append(new("after", after.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                .Append(new("watch", watched.Length == 0 ? null : watched)));
        }

        var body = Layout.Page("Runs", context, html =>
        {
            Form(html, request.Query);
            foreach (var problem in query.Problems)
            {
                html.Raw("<p class=\"problem\">").Text(problem).Raw("</p>\n");
            }

            html.Raw("<p class=\"count\"><span id=\"count\">").Text(count).Raw("</span> runs")
                .Raw(query.Before is null ? string.Empty : " (older page)").Raw("</p>\n");
            html.Raw("<table id=\"runs\">\n<thead><tr><th>run</th><th>task</th><th>experiment</th><th>status</th><th>started (UTC)</th>")
                .Raw("<th>duration</th><th>host</th><th>exit</th><th>reason</th></tr></thead>\n<tbody>\n");
            foreach (var run in page.Runs)
            {
                Row(html, run);
            }

            html.Raw("</tbody>\n</table>\n<nav class=\"pages\">");
            if (query.Before is not null)
            {
                html.Raw("<a id=\"newest\"").Link("/", given).Raw(">Newest</a>");
            }

            if (page.Next is { } next)
            {
                html.Raw("<a id=\"older\"").Link("/", given.Append(new("before", next.ToString(System.Globalization.CultureInfo.InvariantCulture))))
                    .Raw(">Older runs</a>");
            }

            html.Raw("</nav>\n");
        }, live);
        return Results.Content(body, "text/html; charset=utf-8");
    }

    private static void Form(Html html, IQueryCollection query)
    {
        string? Given(string key) => query[key].FirstOrDefault();
        html.Raw("<form id=\"filter\" method=\"get\" action=\"/\">\n");
        foreach (var (key, label) in new[] { ("task", "task"), ("experiment", "experiment"), ("host", "host") })
        {
            html.Raw("<label>").Raw(label).Raw(" <input type=\"text\"").Attribute("name", key).Attribute("value", Given(key)).Raw("></label>\n");
        }

        html.Raw("<label>status <select name=\"status\"><option value=\"\">any</option>");
        foreach (var status in Enum.GetValues<RunStatus>())
        {
            var name = status.ToString().ToUpperInvariant();
            html.Raw("<option").Attribute("value", name)
                .Raw(string.Equals(Given("status"), name, StringComparison.OrdinalIgnoreCase) ? " selected" : string.Empty)
                .Raw(">").Raw(name).Raw("</option>");
        }

        html.Raw("</select></label>\n");
        foreach (var key in new[] { "from", "to" })
        {
            html.Raw("<label>").Raw(key).Raw(" <input type=\"text\" placeholder=\"2026-12-03T14:00\"").Attribute("name", key)
                .Attribute("value", Given(key)).Raw("></label>\n");
        }

        html.Raw("<button type=\"submit\">Filter</button> <a href=\"/\">Clear</a>\n</form>\n");
    }

    /// <summary>One run's row; the live script builds the same cells from the stream's JSON (see <see cref="Live.RunRow"/>).</summary>
    public static void Row(Html html, RunRecord run)
    {
        html.Raw("<tr").Attribute("id", "run-" + run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Raw(run.EndedAt is null ? " data-ended=\"0\"" : " data-ended=\"1\"").Raw(">")
            .Raw("<td><a").Link("/runs/" + run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).Raw(">").Text(run.Id).Raw("</a></td>")
            .Raw("<td class=\"task\">").Text(run.DisplayName).Raw("</td>")
            .Raw("<td>").Text(Experiment(run)).Raw("</td><td class=\"status-cell\">");
        Layout.Status(html, run.Status, run.EndedAt is not null);
        html.Raw("</td><td>").Text(Layout.Time(run.StartedAt)).Raw("</td>")
            .Raw("<td class=\"duration\">").Text(Layout.Duration(run.Duration)).Raw("</td>")
            .Raw("<td>").Text(run.Host).Raw("</td>")
            .Raw("<td class=\"exit\">").Text(run.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-").Raw("</td>")
            .Raw("<td class=\"reason\">").Text(run.Reason).Raw("</td></tr>\n");
    }

    public static string Experiment(RunRecord run) =>
        run.Experiment is null ? "-" : run.ExperimentRun is null ? run.Experiment : run.Experiment + " / " + run.ExperimentRun;
}
