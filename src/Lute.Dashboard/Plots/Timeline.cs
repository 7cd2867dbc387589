using System.Globalization;
using System.Text.RegularExpressions;
using Lute.Dashboard.Pages;

namespace Lute.Dashboard.Plots;

/// <summary>
/// A run's message timeline, drawn on the server as SVG from its log: one lane per origin (the runner, the task's
/// output streams, its ranks), a mark per line at the time it was written; each mark's tooltip is the line.
/// </summary>
internal static partial class Timeline
{
    private const int Width = 900;
    private const int LaneHeight = 22;
    private const int Left = 130;
    private const int MaxLanes = 8;

    public static void Render(Html html, IReadOnlyList<string> lines)
    {
        var marks = new List<(DateTime Time, string Origin, string Line)>();
        foreach (var line in lines)
        {
            if (Header().Match(line) is { Success: true } match
                && DateTime.TryParseExact(match.Groups["time"].Value, "yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            {
                marks.Add((time, match.Groups["origin"].Value, line));
            }
        }

        if (marks.Count == 0)
        {
            html.Raw("<p class=\"empty\" id=\"timeline-empty\">No log lines to draw yet.</p>\n");
            return;
        }

        var lanes = marks.Select(m => m.Origin).Distinct(StringComparer.Ordinal).Take(MaxLanes).ToList();
        int LaneOf(string origin) => lanes.IndexOf(origin) is var i and >= 0 ? i : lanes.Count - 1;
        var start = marks.Min(m => m.Time);
        var span = Math.Max((marks.Max(m => m.Time) - start).TotalSeconds, 0.001);
        var height = (lanes.Count * LaneHeight) + 30;
        html.Raw("<svg id=\"timeline\" class=\"plot\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"message timeline\"")
            .Raw(" width=\"").Raw(Html.Number(Width)).Raw("\" height=\"").Raw(Html.Number(height))
            .Raw("\" viewBox=\"0 0 ").Raw(Html.Number(Width)).Raw(" ").Raw(Html.Number(height)).Raw("\">\n");
        for (var i = 0; i < lanes.Count; i++)
        {
            var y = (i * LaneHeight) + 15;
            html.Raw("<text x=\"4\" y=\"").Raw(Html.Number(y + 4)).Raw("\" font-size=\"11\" fill=\"#333\">").Text(lanes[i]).Raw("</text>")
                .Raw("<line x1=\"").Raw(Html.Number(Left)).Raw("\" x2=\"").Raw(Html.Number(Width - 10)).Raw("\" y1=\"").Raw(Html.Number(y))
                .Raw("\" y2=\"").Raw(Html.Number(y)).Raw("\" stroke=\"#ddd\"/>\n");
        }

        foreach (var (time, origin, line) in marks)
        {
            var lane = LaneOf(origin);
            var x = Left + ((time - start).TotalSeconds / span * (Width - Left - 20));
            var y = (lane * LaneHeight) + 15;
            html.Raw("<rect class=\"mark\" x=\"").Raw(Html.Number(x)).Raw("\" y=\"").Raw(Html.Number(y - 6)).Raw("\" width=\"2\" height=\"12\" fill=\"")
                .Raw(Colors.Lane(lane)).Raw("\"><title>").Text(line.Length > 200 ? line[..200] + "…" : line).Raw("</title></rect>\n");
        }

        html.Raw("<text x=\"").Raw(Html.Number(Left)).Raw("\" y=\"").Raw(Html.Number(height - 4)).Raw("\" font-size=\"11\" fill=\"#555\">")
            .Text(start.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)).Raw("</text>")
            .Raw("<text x=\"").Raw(Html.Number(Width - 10)).Raw("\" y=\"").Raw(Html.Number(height - 4)).Raw("\" font-size=\"11\" fill=\"#555\" text-anchor=\"end\">+")
            .Raw(Html.Number(span)).Raw(" s</text>\n</svg>\n");
    }

    [GeneratedRegex(@"^(?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) \w{3} (?<origin>\[[^\]]*\]|\S+) ")]
    private static partial Regex Header();
}
