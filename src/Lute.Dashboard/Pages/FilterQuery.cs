using System.Globalization;
using Lute.Contracts;
using Lute.Host.Store;
using Microsoft.AspNetCore.Http;

namespace Lute.Dashboard.Pages;

/// <summary>
/// The filter of a listing as its URL gives it (<c>?task=…&amp;status=…&amp;from=…</c>): the same fields in the form,
/// the page links and the live stream. A value that cannot be read is named and left out, never guessed.
/// </summary>
internal sealed record FilterQuery(RunFilter Filter, long? Before, IReadOnlyList<string> Problems)
{
    public static readonly string[] Fields = ["task", "experiment", "status", "host", "from", "to"];

    public static FilterQuery Read(IQueryCollection query)
    {
        var problems = new List<string>();
        string? Value(string key) => query[key].FirstOrDefault() is { Length: > 0 } value ? value.Trim() : null;
        RunStatus? status = null;
        if (Value("status") is { } statusText)
        {
            if (Enum.TryParse<RunStatus>(statusText, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !char.IsDigit(statusText[0]))
            {
                status = parsed;
            }
            else
            {
                problems.Add($"status '{statusText}' is not one of {string.Join(", ", Enum.GetNames<RunStatus>().Select(n => n.ToUpperInvariant()))}");
            }
        }

        DateTimeOffset? Time(string key)
        {
            if (Value(key) is not { } text)
            {
                return null;
            }

            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
            {
                return time;
            }

            problems.Add($"{key} '{text}' is not a time (2026-12-03 or 2026-12-03T14:00, UTC)");
            return null;
        }

        long? before = null;
        if (Value("before") is { } beforeText)
        {
            if (long.TryParse(beforeText, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                before = id;
            }
            else
            {
                problems.Add($"before '{beforeText}' is not a run id");
            }
        }

        var filter = new RunFilter
        {
            Task = Value("task"),
            Experiment = Value("experiment"),
            Status = status,
            Host = Value("host"),
            From = Time("from"),
            To = Time("to"),
        };
        return new FilterQuery(filter, before, problems);
    }

    /// <summary>The filter's fields as query values (for links), as they were given.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Given(IQueryCollection query) =>
        Fields.Select(key => new KeyValuePair<string, string?>(key, query[key].FirstOrDefault() is { Length: > 0 } value ? value : null));
}
