using System.Globalization;
using Lute.Contracts;
using Lute.Dashboard.Pages;
using Lute.Host.Store;

namespace Lute.Dashboard.Plots;

/// <summary>The plots page's charts, drawn on the server as SVG: durations over time, and outcomes per task.</summary>
internal static class Charts
{
    private const int Width = 900;

    /// <summary>Each finished run as a dot: when it started (x) and how long it took (y, logarithmic), coloured by outcome.</summary>
    public static void Durations(Html html, IReadOnlyList<RunDuration> runs)
    {
        if (runs.Count == 0)
        {
            html.Raw("<p class=\"empty\">No finished runs match.</p>\n");
            return;
        }

        const int height = 300, left = 60, bottom = 30, top = 10;
        var first = runs.Min(r => r.StartedAt);
        var span = Math.Max((runs.Max(r => r.StartedAt) - first).TotalSeconds, 1);
        var low = Math.Floor(Math.Log10(Math.Max(runs.Min(r => r.Seconds), 0.001)));
        var high = Math.Max(Math.Ceiling(Math.Log10(Math.Max(runs.Max(r => r.Seconds), 0.001))), low + 1);
        double X(DateTimeOffset t) => left + ((t - first).TotalSeconds / span * (Width - left - 20));
        double Y(double seconds) => top + ((high - Math.Log10(Math.Max(seconds, 0.001))) / (high - low) * (height - top - bottom));
        html.Raw("<svg id=\"durations\" class=\"plot\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"durations over time\" width=\"900\" height=\"300\" viewBox=\"0 0 900 300\">\n");
        for (var power = low; power <= high; power++)
        {
            var y = Y(Math.Pow(10, power));
            html.Raw("<line x1=\"60\" x2=\"880\" y1=\"").Raw(Html.Number(y)).Raw("\" y2=\"").Raw(Html.Number(y)).Raw("\" stroke=\"#eee\"/>")
                .Raw("<text x=\"55\" y=\"").Raw(Html.Number(y + 4)).Raw("\" font-size=\"11\" text-anchor=\"end\" fill=\"#555\">")
                .Raw(Html.Number(Math.Pow(10, power))).Raw(" s</text>\n");
        }

        foreach (var run in runs)
        {
            html.Raw("<circle class=\"dot\" r=\"3\" cx=\"").Raw(Html.Number(X(run.StartedAt))).Raw("\" cy=\"").Raw(Html.Number(Y(run.Seconds)))
                .Raw("\" fill=\"").Raw(Colors.Of(run.Status)).Raw("\"><title>").Text(
                    $"run {run.Id.ToString(CultureInfo.InvariantCulture)} {run.Task}: {run.Status.ToString().ToUpperInvariant()} in {run.Seconds.ToString("0.###", CultureInfo.InvariantCulture)}s")
                .Raw("</title></circle>\n");
        }

        html.Raw("<text x=\"60\" y=\"295\" font-size=\"11\" fill=\"#555\">").Text(Layout.Time(first)).Raw("</text>")
            .Raw("<text x=\"880\" y=\"295\" font-size=\"11\" fill=\"#555\" text-anchor=\"end\">").Text(Layout.Time(runs.Max(r => r.StartedAt))).Raw("</text>\n</svg>\n");
    }

    /// <summary>One bar per task, split by outcome, with the counts in the tooltips and a legend.</summary>
    public static void Outcomes(Html html, IReadOnlyList<OutcomeCount> counts)
    {
        var tasks = counts.GroupBy(c => c.Task, StringComparer.Ordinal).OrderByDescending(g => g.Sum(c => c.Count)).Take(30).ToList();
        if (tasks.Count == 0)
        {
            html.Raw("<p class=\"empty\">No runs match.</p>\n");
            return;
        }

        const int bar = 18, left = 180;
        var most = tasks.Max(g => g.Sum(c => c.Count));
        var height = (tasks.Count * (bar + 6)) + 40;
        html.Raw("<svg id=\"outcomes\" class=\"plot\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"outcomes per task\" width=\"900\" height=\"")
            .Raw(Html.Number(height)).Raw("\" viewBox=\"0 0 900 ").Raw(Html.Number(height)).Raw("\">\n");
        for (var i = 0; i < tasks.Count; i++)
        {
            var y = (i * (bar + 6)) + 5;
            html.Raw("<text x=\"").Raw(Html.Number(left - 6)).Raw("\" y=\"").Raw(Html.Number(y + 13)).Raw("\" font-size=\"12\" text-anchor=\"end\">")
                .Text(tasks[i].Key.Length > 28 ? tasks[i].Key[..28] + "…" : tasks[i].Key).Raw("</text>\n");
            double x = left;
            foreach (var count in tasks[i].OrderBy(c => c.Status))
            {
                var width = count.Count / (double)most * (Width - left - 60);
                html.Raw("<rect class=\"bar\" x=\"").Raw(Html.Number(x)).Raw("\" y=\"").Raw(Html.Number(y)).Raw("\" width=\"").Raw(Html.Number(Math.Max(width, 1)))
                    .Raw("\" height=\"").Raw(Html.Number(bar)).Raw("\" fill=\"").Raw(Colors.Of(count.Status)).Raw("\" data-status=\"")
                    .Raw(count.Status.ToString().ToUpperInvariant()).Raw("\"><title>")
                    .Text($"{count.Task}: {count.Count.ToString(CultureInfo.InvariantCulture)} {count.Status.ToString().ToUpperInvariant()}").Raw("</title></rect>\n");
                x += width;
            }

            html.Raw("<text x=\"").Raw(Html.Number(x + 4)).Raw("\" y=\"").Raw(Html.Number(y + 13)).Raw("\" font-size=\"11\" fill=\"#555\">")
                .Text(tasks[i].Sum(c => c.Count)).Raw("</text>\n");
        }

        var legendX = left;
        foreach (var status in Enum.GetValues<RunStatus>())
        {
            html.Raw("<rect x=\"").Raw(Html.Number(legendX)).Raw("\" y=\"").Raw(Html.Number(height - 25)).Raw("\" width=\"10\" height=\"10\" fill=\"")
                .Raw(Colors.Of(status)).Raw("\"/><text x=\"").Raw(Html.Number(legendX + 14)).Raw("\" y=\"").Raw(Html.Number(height - 16))
                .Raw("\" font-size=\"11\">").Raw(status.ToString().ToUpperInvariant()).Raw("</text>\n");
            legendX += 90;
        }

        html.Raw("</svg>\n");
    }
}
