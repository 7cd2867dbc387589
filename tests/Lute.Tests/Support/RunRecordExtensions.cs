using System.Globalization;
using Lute.Contracts;
using Lute.Host.Running;
using Lute.Host.Store;

namespace Lute.Tests.Support;

internal static class RunRecordExtensions
{
    /// <summary>The run's summary as key/values (empty when it has none).</summary>
    public static Dictionary<string, string> SummaryValues(this RunRecord run) => new(run.Summary);

    /// <summary>The executor's details recorded with the run (empty when it has none).</summary>
    public static Dictionary<string, string> DetailValues(this RunRecord run) => new(run.Details);

    /// <summary>The text of the run log's lines that carry <paramref name="marker"/> (for example "[Task log] "), after it.</summary>
    public static List<string> TaskLines(this RunRecord run, string marker) =>
        File.ReadLines(run.LogPath!)
            .Select(l => (Line: l, At: l.IndexOf(marker, StringComparison.Ordinal)))
            .Where(x => x.At >= 0)
            .Select(x => x.Line[(x.At + marker.Length)..])
            .ToList();

    /// <summary>
    /// Asserts what the message tests' senders leave behind: a completed run, "message 0" to "message N-1" logged in
    /// order, and the count as the result payload and the summary's "sent".
    /// </summary>
    public static void AssertAllMessages(this RunRecord run, int code, ChildProcess process, string task, int messages)
    {
        Assert.True(code == ExitCodes.Completed, process.Output);
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(Enumerable.Range(0, messages).Select(i => $"message {i}"), run.TaskLines($"[{task} log] "));
        Assert.Equal(messages.ToString(CultureInfo.InvariantCulture), run.Payload?.GetRawText());
        Assert.Equal(messages.ToString(CultureInfo.InvariantCulture), run.SummaryValues()["sent"]);
    }
}
