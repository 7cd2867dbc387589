using System.Globalization;
using System.Text.Json;
using Lute.Contracts;
using Lute.Host.Running;
using Lute.Tests.Support;

namespace Lute.Tests.Integration;

/// <summary>
/// A real <c>lute run</c> whose task (bench/fuzz/fuzz_task.py, fixed seed and budget) sends random bytes, truncated,
/// huge and deeply nested frames, invalid UTF-8, wrong fields and unknown signals between valid messages, then opens
/// and drops 10,000 connections: the runner stays up, records the right result, stays within a memory bound, and
/// logs every bad frame exactly once with its cause.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class ProtocolFuzzSpecs
{
    private const int Seed = 20_240_6;
    private const int Rounds = 2_000;
    private const int Connections = 10_000;
    private const int MaxMessageBytes = 65_536;

    /// <summary>A no-op run peaks near 62 MB; reading frames must not hold more than a few of them at once.</summary>
    private const long PeakRssBoundKib = 300 * 1024;

    [Fact]
    public async Task A_fuzzing_task_leaves_the_runner_up_bounded_and_every_bad_frame_logged_once()
    {
        using var workspace = Workspace.Create();
        workspace.WriteConfig($"max_message_bytes: {MaxMessageBytes}\nconsole_task_output: false");
        var script = Path.Combine(Repo.Root, "bench", "fuzz", "fuzz_task.py");
        var manifest = workspace.PathOf("sent.json");

        var (code, process) = await workspace.RunTaskAsync($$"""
            tasks:
              Fuzz:
                command: [python3, "{{script}}", "{{Seed}}", "{{Rounds}}", "0", "{{Connections}}", "{{MaxMessageBytes}}", "{{manifest}}"]
                timeout: 5m
            """);

        using (process)
        {
            Assert.True(code == ExitCodes.Completed, process.Output);
            var run = await workspace.LatestRunAsync();
            Assert.Equal(RunStatus.Completed, run.Status);
            Assert.Equal("\"survived\"", run.Payload?.GetRawText());

            using var sent = JsonDocument.Parse(await File.ReadAllTextAsync(manifest));
            var root = sent.RootElement;
            Assert.Equal(Rounds, root.GetProperty("rounds").GetInt32());
            Assert.Equal(Connections, root.GetProperty("connections_dropped").GetInt32());
            Assert.Equal(run.RunnerPid, root.GetProperty("runner_pid").GetInt32());
            var peakKib = root.GetProperty("runner_peak_rss_kib").GetInt64();
            Assert.InRange(peakKib, 1, PeakRssBoundKib);
            Assert.Equal(peakKib.ToString(CultureInfo.InvariantCulture), run.SummaryValues()["runner_peak_rss_kib"]);

            var badByKind = root.GetProperty("bad").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32(), StringComparer.Ordinal);
            Assert.All(
                new[] { "random bytes", "truncated frame", "deep nesting", "invalid UTF-8", "wrong field", "huge frame", "truncated at close" },
                kind => Assert.True(badByKind.GetValueOrDefault(kind) > 0, $"the seed sent no frame of kind '{kind}'"));

            var log = await File.ReadAllLinesAsync(run.LogPath!);
            var dropped = log.Where(l => l.Contains("Dropped a", StringComparison.Ordinal)).ToList();
            Assert.Equal(badByKind.Values.Sum(), dropped.Count);
            Assert.Equal(badByKind["huge frame"], dropped.Count(l => l.Contains($"larger than the {MaxMessageBytes}-byte limit", StringComparison.Ordinal)));
            Assert.Equal(badByKind["deep nesting"], dropped.Count(l => l.Contains("depth of 64", StringComparison.Ordinal)));
            Assert.InRange(dropped.Count(l => l.Contains(": not valid UTF-8;", StringComparison.Ordinal)), badByKind["invalid UTF-8"], badByKind["invalid UTF-8"] + badByKind["random bytes"]);
            Assert.All(dropped, l => Assert.Matches(@"Dropped a (malformed message on connection \d+: .+; it began: |message of \d+ bytes on connection \d+: larger than)", l));

            Assert.Equal(root.GetProperty("unknown_signal").GetInt32(), log.Count(l => l.Contains("which protocol v1 does not define", StringComparison.Ordinal)));
            Assert.Equal(root.GetProperty("valid").GetInt32(), log.Count(l => l.Contains("[Fuzz log] fuzz-ok ", StringComparison.Ordinal)));
        }
    }
}
