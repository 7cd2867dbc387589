using System.Text.Json;
using Lute.Host.Store;

namespace Lute.Tests.Support;

internal static class RunRecordExtensions
{
    /// <summary>The run's summary as key/values (empty when it has none).</summary>
    public static Dictionary<string, string> SummaryValues(this RunRecord run) =>
        run.Summary is null ? [] : JsonSerializer.Deserialize<Dictionary<string, string>>(run.Summary)!;

    /// <summary>The executor's details recorded with the run (empty when it has none).</summary>
    public static Dictionary<string, string> DetailValues(this RunRecord run) =>
        run.Details is null ? [] : JsonSerializer.Deserialize<Dictionary<string, string>>(run.Details)!;
}
