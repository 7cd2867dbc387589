using Lute.Dashboard.Plots;
using Microsoft.AspNetCore.Http;

namespace Lute.Dashboard.Pages;

/// <summary>The plots of the runs a filter selects: durations over time (the latest finished runs) and outcomes per task.</summary>
internal static class PlotsPage
{
    public const int MaxDots = 2000;

    public static async Task<IResult> RenderAsync(HttpRequest request, DashboardContext context, CancellationToken cancellationToken)
    {
        var query = FilterQuery.Read(request.Query);
        var durations = await context.Browser.DurationsAsync(query.Filter, MaxDots, cancellationToken).ConfigureAwait(false);
        var outcomes = await context.Browser.OutcomesAsync(query.Filter, cancellationToken).ConfigureAwait(false);
        var body = Layout.Page("Plots", context, html =>
        {
            foreach (var problem in query.Problems)
            {
                html.Raw("<p class=\"problem\">").Text(problem).Raw("</p>\n");
            }

            html.Raw("<p>Filter: <a").Link("/", FilterQuery.Given(request.Query)).Raw(">these runs as a list</a></p>\n");
            html.Raw("<h2>Durations over time</h2>\n<p class=\"hint\">The latest ").Text(MaxDots).Raw(" finished runs; seconds on a logarithmic scale.</p>\n");
            Charts.Durations(html, durations);
            html.Raw("<h2>Outcomes per task</h2>\n");
            Charts.Outcomes(html, outcomes);
        });
        return Results.Content(body, "text/html; charset=utf-8");
    }
}
