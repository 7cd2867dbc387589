using Lute.Host.Configuration;
using Lute.Host.Running;
using Lute.Host.Store;

namespace Lute.Cli.Json;

/// <summary><c>lute history --json</c>: the runs, newest first, and the runs the repair marked.</summary>
internal static class HistoryJson
{
    public static async Task PrintAsync(IRunRecorder? store, HostConfiguration config, int count, string? task, bool repair, CancellationToken cancellationToken)
    {
        IReadOnlyList<RunRecord> marked = [];
        IReadOnlyList<RunRecord> runs = [];
        if (store is not null)
        {
            if (repair)
            {
                marked = await store.MarkAbandonedAsync(System.Environment.MachineName, RunnerLiveness.IsAlive, DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
            }

            runs = count == 0 ? [] : await store.HistoryAsync(count, task, cancellationToken).ConfigureAwait(false);
        }

        CliJson.Print("history", writer =>
        {
            writer.WriteString("store", config.StorePath);
            writer.WriteBoolean("store_exists", store is not null);
            writer.WriteStartArray("repaired");
            foreach (var run in marked)
            {
                writer.WriteNumberValue(run.Id);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("runs");
            foreach (var run in runs)
            {
                RunJson.Write(writer, run);
            }

            writer.WriteEndArray();
        });
    }
}
