using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Lute.Contracts;
using Lute.Host.Store;
using Microsoft.Extensions.Logging;

namespace Lute.Host.Running;

/// <summary>
/// Writes the one self-contained HTML report of a run: its outcome and summary, then every figure and fragment the
/// task sent (<c>report</c> items of <c>TASK_RESULT</c>). Images are embedded as data URIs and the style is inline,
/// so the file can be mailed, attached to a logbook entry or opened anywhere without the files around it.
/// </summary>
internal static partial class RunReport
{
    private static readonly HashSet<string> ImageTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "image/png", "image/jpeg", "image/gif", "image/svg+xml", "image/webp",
    };

    /// <summary>Writes the report when the task sent items for it; returns its path, or null when there is none.</summary>
    public static string? Write(string path, RunResult result, IReadOnlyList<JsonElement> items, UnixFileMode mode, ILogger logger)
    {
        if (items.Count == 0)
        {
            return null;
        }

        try
        {
            var folder = Path.GetDirectoryName(path)!;
            PrivateFiles.CreateFolder(folder, mode);
            var temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{System.Environment.ProcessId}.tmp");
            using (var stream = PrivateFiles.Open(temporary, FileMode.Create, mode))
            using (var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
            {
                writer.Write(Render(result, items));
            }

            File.Move(temporary, path, overwrite: true);
            LogWritten(logger, path, items.Count);
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogFailed(logger, path, e.Message);
            return null;
        }
    }

    /// <summary>The report's HTML.</summary>
    public static string Render(RunResult result, IReadOnlyList<JsonElement> items)
    {
        var run = result.Run;
        var title = $"{run.TaskName}, run {run.RunId.ToString(CultureInfo.InvariantCulture)}";
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
            .Append(Encode(title)).Append("</title>\n<style>\n")
            .Append("body{font-family:system-ui,sans-serif;margin:2em auto;max-width:70em;padding:0 1em;color:#222}\n")
            .Append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left;vertical-align:top}\n")
            .Append("section{margin:2em 0}img{max-width:100%}pre{background:#f6f6f6;padding:.6em;overflow:auto}\n")
            .Append(".status{font-weight:bold}\n</style>\n</head>\n<body>\n");
        html.Append("<h1>").Append(Encode(title)).Append("</h1>\n<table class=\"run\">\n");
        Row(html, "status", $"{result.Status.ToString().ToUpperInvariant()}{(result.Reason is null ? string.Empty : $": {result.Reason}")}");
        Row(html, "executor", run.Executor);
        Row(html, "experiment", run.Experiment);
        Row(html, "experiment run", run.ExperimentRun);
        Row(html, "host", run.Host);
        Row(html, "started", result.StartedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        Row(html, "ended", result.EndedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        html.Append("</table>\n");
        if (result.Summary.Count > 0)
        {
            html.Append("<h2>Summary</h2>\n<table class=\"summary\">\n");
            foreach (var (key, value) in result.Summary.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                Row(html, key, value);
            }

            html.Append("</table>\n");
        }

        var left = 0;
        foreach (var item in items)
        {
            if (!Section(html, item))
            {
                left++;
            }
        }

        if (left > 0)
        {
            html.Append("<p class=\"left-out\">").Append(left.ToString(CultureInfo.InvariantCulture))
                .Append(" item(s) were left out: each item needs one of 'html', 'text' or 'image' (base64, with a 'media_type' such as image/png).</p>\n");
        }

        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static bool Section(StringBuilder html, JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var heading = Text(item, "title");
        string body;
        if (Text(item, "html") is { } fragment)
        {
            // The task's own markup, included as it is: the report is the task's.
            body = fragment;
        }
        else if (Text(item, "text") is { } text)
        {
            body = $"<pre>{Encode(text)}</pre>";
        }
        else if (Text(item, "image") is { } image)
        {
            var mediaType = Text(item, "media_type") ?? "image/png";
            if (!ImageTypes.Contains(mediaType) || !IsBase64(image))
            {
                return false;
            }

            body = $"<img src=\"data:{mediaType};base64,{image}\" alt=\"{Encode(heading ?? "figure")}\">";
        }
        else
        {
            return false;
        }

        html.Append("<section>\n");
        if (heading is not null)
        {
            html.Append("<h2>").Append(Encode(heading)).Append("</h2>\n");
        }

        html.Append(body).Append("\n</section>\n");
        return true;
    }

    private static bool IsBase64(string text)
    {
        var buffer = new byte[(text.Length * 3 / 4) + 3];
        return text.Length > 0 && Convert.TryFromBase64String(text, buffer, out _);
    }

    private static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static void Row(StringBuilder html, string key, string? value)
    {
        if (value is not null)
        {
            html.Append("<tr><th>").Append(Encode(key)).Append("</th><td>").Append(Encode(value)).Append("</td></tr>\n");
        }
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    [LoggerMessage(EventId = 620, Level = LogLevel.Information, Message = "Report written to {Path} ({Count} items)")]
    private static partial void LogWritten(ILogger logger, string path, int count);

    [LoggerMessage(EventId = 621, Level = LogLevel.Warning, Message = "The report {Path} could not be written: {Error}")]
    private static partial void LogFailed(ILogger logger, string path, string error);
}
