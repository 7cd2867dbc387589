using System.Globalization;
using System.Text;
using System.Text.Json;
using Lute.Dashboard.Pages;
using Lute.Host.Store;

namespace Lute.Dashboard.Live;

/// <summary>
/// A run as the live stream sends it: the cells of its row as JSON strings. The page's script puts them into the row
/// with <c>textContent</c> only, and picks the status's class from its own list, so nothing in them becomes markup.
/// </summary>
internal static class RunRow
{
    public static string Json(RunRecord run)
    {
        using var stream = new MemoryStream();
        // The default encoder: also escapes <, >, &, quotes and non-ASCII, so the text is inert wherever it is pasted.
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteNumber("id", run.Id);
            writer.WriteString("task", run.DisplayName);
            writer.WriteString("experiment", RunsPage.Experiment(run));
            writer.WriteString("status", run.Status.ToString().ToUpperInvariant());
            writer.WriteBoolean("ended", run.EndedAt is not null);
            writer.WriteString("started", Layout.Time(run.StartedAt));
            writer.WriteString("duration", Layout.Duration(run.Duration));
            writer.WriteString("host", run.Host);
            writer.WriteString("exit", run.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "-");
            writer.WriteString("reason", run.Reason ?? string.Empty);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>What makes a row change on the page: when it differs, the row is sent again.</summary>
    public static (Lute.Contracts.RunStatus Status, DateTimeOffset? Ended) Shape(RunRecord run) => (run.Status, run.EndedAt);
}
