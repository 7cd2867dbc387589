using Lute.Contracts;

namespace Lute.Dashboard.Pages;

/// <summary>The frame of every page: head (the served style and script only), the navigation and the main part.</summary>
internal static class Layout
{
    public static string Page(string title, DashboardContext context, Action<Html> main, string? live = null)
    {
        var html = new Html();
        html.Raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").Text(title).Raw(" · lute</title>\n")
            .Raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Raw("<link rel=\"icon\" href=\"/static/icon.svg\" type=\"image/svg+xml\">\n<link rel=\"stylesheet\" href=\"/static/dashboard.css\">\n<script src=\"/static/dashboard.js\" defer></script>\n</head>\n<body");
        if (live is not null)
        {
            html.Attribute("data-live", live);
        }

        html.Raw(">\n<header><a class=\"brand\" href=\"/\">lute</a><nav><a href=\"/\">Runs</a><a href=\"/plots\">Plots</a></nav>")
            .Raw("<span class=\"store\" title=\"result store\">").Text(context.StorePath).Raw("</span></header>\n<main>\n");
        main(html);
        html.Raw("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>A status as a badge whose class names it (from the fixed list of statuses, never from the store's text).</summary>
    public static void Status(Html html, RunStatus status, bool ended)
    {
        var name = status.ToString().ToUpperInvariant();
        html.Raw("<span class=\"status status-").Raw(name.ToLowerInvariant()).Raw("\" data-status=\"").Raw(name).Raw("\">").Raw(name)
            .Raw(ended ? string.Empty : "…").Raw("</span>");
    }

    /// <summary>A time as the store gives it, UTC, to the second.</summary>
    public static string Time(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) : "-";

    /// <summary>A duration in seconds, as lute show prints it.</summary>
    public static string Duration(TimeSpan? duration) =>
        duration is { } d ? d.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + "s" : "-";
}
