using System.Globalization;
using Lute.Dashboard.Live;
using Lute.Dashboard.Plots;
using Lute.Host.Store;
using Microsoft.AspNetCore.Http;

namespace Lute.Dashboard.Pages;

/// <summary>
/// One run: every field <c>lute show</c> prints, its hook errors and undelivered requests, a link to its HTML report,
/// its message timeline and the tail of its log, which follows the live run.
/// </summary>
internal static class RunPage
{
    private const int LogLines = 500;

    public static async Task<IResult> RenderAsync(long id, HttpRequest request, DashboardContext context, CancellationToken cancellationToken)
    {
        var run = await context.Runs.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            return NotFound(context, id);
        }

        var (lines, offset) = LogTail.Last(run.LogPath, LogLines);
        var number = run.Id.ToString(CultureInfo.InvariantCulture);
        var live = run.EndedAt is null ? Html.Url("/events/runs/" + number, [new("offset", offset.ToString(CultureInfo.InvariantCulture))]) : null;
        var body = Layout.Page($"Run {number} ({run.DisplayName})", context, html =>
        {
            html.Raw("<h1>Run ").Text(run.Id).Raw(" · <span class=\"task\">").Text(run.DisplayName).Raw("</span> <span id=\"status\">");
            Layout.Status(html, run.Status, run.EndedAt is not null);
            html.Raw("</span></h1>\n");
            if (request.Query["asked"].FirstOrDefault() is { } asked && RunnerSignalsVerb(asked) is { } verb)
            {
                html.Raw("<p class=\"notice\" id=\"asked\">Asked the runner to ").Raw(verb).Raw(" this run.</p>\n");
            }

            Actions(html, run, context);
            Fields(html, run);
            Problems(html, run);
            if (run.ReportPath is not null)
            {
                html.Raw("<p><a id=\"report\" target=\"_blank\" rel=\"noopener\"").Link("/runs/" + number + "/report").Raw(">HTML report</a></p>\n");
            }

            html.Raw("<h2>Message timeline</h2>\n");
            Timeline.Render(html, lines);
            html.Raw("<h2>Log</h2>\n<p class=\"path\">").Text(run.LogPath ?? "(no log file)").Raw("</p>\n<pre id=\"log\">");
            foreach (var line in lines)
            {
                html.Text(line).Raw("\n");
            }

            html.Raw("</pre>\n");
        }, live);
        return Results.Content(body, "text/html; charset=utf-8");
    }

    public static IResult NotFound(DashboardContext context, long id) =>
        Results.Content(
            Layout.Page("No such run", context, html => html.Raw("<p class=\"problem\">There is no run ").Text(id).Raw(" in this store.</p>\n")),
            "text/html; charset=utf-8",
            statusCode: StatusCodes.Status404NotFound);

    /// <summary>The verb for the notice, from the fixed list only.</summary>
    private static string? RunnerSignalsVerb(string asked) =>
        Lute.Host.Running.RunnerSignals.Verbs.Keys.FirstOrDefault(v => string.Equals(v, asked, StringComparison.Ordinal));

    private static void Actions(Html html, RunRecord run, DashboardContext context)
    {
        if (run.EndedAt is not null)
        {
            return;
        }

        html.Raw("<p class=\"actions\">");
        if (!string.Equals(run.Host, context.Host, StringComparison.Ordinal))
        {
            html.Raw("This run's runner is on ").Text(run.Host).Raw(": stop, continue or cancel it there.");
        }
        else
        {
            // A stopped task can be continued; a running one stopped; either cancelled.
            foreach (var verb in Lute.Host.Running.RunnerSignals.Verbs.Keys.Where(v => v != (run.Status == Lute.Contracts.RunStatus.Stopped ? "stop" : "continue")))
            {
                html.Raw("<a class=\"button\"").Attribute("id", verb)
                    .Link("/runs/" + run.Id.ToString(CultureInfo.InvariantCulture) + "/" + verb).Raw(">").Raw(verb).Raw("</a> ");
            }
        }

        html.Raw("</p>\n");
    }

    private static void Fields(Html html, RunRecord run)
    {
        html.Raw("<table class=\"fields\">\n");
        void Row(string key, string? value) =>
            html.Raw("<tr><th>").Raw(key).Raw("</th><td").Attribute("data-field", key).Raw(">").Text(value ?? "-").Raw("</td></tr>\n");
        void Json(string key, string? json)
        {
            if (json is not null)
            {
                html.Raw("<tr><th>").Raw(key).Raw("</th><td><pre").Attribute("data-field", key).Raw(">").Text(json).Raw("</pre></td></tr>\n");
            }
        }

        foreach (var (key, value) in RunDescription.Fields(run))
        {
            Row(key, value);
        }

        // Hook errors and undelivered requests have tables of their own below.
        foreach (var (key, json) in RunDescription.JsonSections(run).Where(s => s.Key is not ("hook errors" or "undelivered")))
        {
            Json(key, json);
        }

        html.Raw("</table>\n");
    }

    private static void Problems(Html html, RunRecord run)
    {
        if (run.HookErrors.Count > 0)
        {
            html.Raw("<h2>Hook errors</h2>\n<table id=\"hook-errors\"><thead><tr><th>hook</th><th>event</th><th>when (UTC)</th><th>error</th></tr></thead><tbody>\n");
            foreach (var error in run.HookErrors)
            {
                html.Raw("<tr><td>").Text(error.Hook).Raw("</td><td>").Text(error.Event).Raw("</td><td>").Text(Layout.Time(error.Timestamp))
                    .Raw("</td><td>").Text(error.Error).Raw("</td></tr>\n");
            }

            html.Raw("</tbody></table>\n");
        }

        if (run.Undelivered.Count > 0)
        {
            html.Raw("<h2>Undelivered requests</h2>\n<table id=\"undelivered\"><thead><tr><th>hook</th><th>event</th><th>request</th><th>attempts</th><th>last error</th></tr></thead><tbody>\n");
            foreach (var post in run.Undelivered)
            {
                html.Raw("<tr><td>").Text(post.Hook).Raw("</td><td>").Text(post.Event).Raw("</td><td>").Text(post.Method + " " + post.Destination)
                    .Raw("</td><td>").Text(post.Attempts).Raw("</td><td>").Text(post.Error).Raw("</td></tr>\n");
            }

            html.Raw("</tbody></table>\n");
        }
    }
}
