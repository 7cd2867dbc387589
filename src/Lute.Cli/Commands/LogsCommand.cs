using System.CommandLine;
using System.Threading.Channels;
using Lute.Cli.Completion;
using Lute.Cli.Logs;
using Lute.Host.Configuration;
using Lute.Host.Logging;
using Lute.Host.Running;
using Lute.Host.Store;

namespace Lute.Cli.Commands;

/// <summary>
/// <c>lute logs RUN [-f] [--task-only]</c>: prints a run's log; <c>-f</c> follows a live one until the run ends. The
/// file is watched (inotify), and the runner's exit too (a pidfd), so a runner that dies ends the follow: nothing polls.
/// </summary>
internal static class LogsCommand
{
    public static Command Create()
    {
        var id = new Argument<long>("run") { Description = "the run's id (see lute history)" };
        CompletionSources.RunIds(id);
        var follow = new Option<bool>("--follow", "-f") { Description = "keep printing what the run writes until it ends" };
        var taskOnly = new Option<bool>("--task-only") { Description = "only the task's lines (its output and messages), not the runner's" };
        var command = new Command("logs", "Prints a run's log; with -f, follows a running one until it ends") { id, follow, taskOnly };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var config = LuteCommandLine.LoadConfiguration(parsed);
            RunRecord run;
            await using (var store = await Stores.OpenExistingAsync(config, cancellationToken).ConfigureAwait(false)
                                     ?? throw new InputException($"there is no run {parsed.GetValue(id)}: {Stores.Missing(config)}"))
            {
                run = await store.GetAsync(parsed.GetValue(id), cancellationToken).ConfigureAwait(false)
                      ?? throw new InputException($"there is no run {parsed.GetValue(id)} in {store.Location}; see lute history");
            }

            if (run.LogPath is not { } path || !File.Exists(path))
            {
                throw new InputException($"run {run.Id} has no log file{(run.LogPath is null ? string.Empty : $" ({run.LogPath} is gone)")}");
            }

            var live = parsed.GetValue(follow) && run.EndedAt is null
                       && string.Equals(run.Host, System.Environment.MachineName, StringComparison.Ordinal)
                       && RunnerLiveness.IsAlive(run.RunnerPid, run.StartedAt);
            await PrintAsync(path, run, parsed.GetValue(taskOnly), live, cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static async Task PrintAsync(string path, RunRecord run, bool taskOnly, bool follow, CancellationToken cancellationToken)
    {
        var changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        using var watcher = follow ? Watch(path, changed.Writer) : null;
        using var runner = follow ? ProcessExitWatch.Start(run.RunnerPid) : null;
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var lines = new LogLines(stream, run.Id, taskOnly);
        var output = Console.Out;
        while (true)
        {
            foreach (var line in await lines.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                await output.WriteLineAsync(line).ConfigureAwait(false);
            }

            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (!follow || lines.Ended || runner?.Exited.IsCompleted == true)
            {
                return;
            }

            // The next change of the file, or the runner's exit (then what it wrote last is read once more).
            var next = changed.Reader.ReadAsync(cancellationToken).AsTask();
            await Task.WhenAny(next, runner?.Exited ?? Task.Delay(Timeout.Infinite, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private static FileSystemWatcher Watch(string path, ChannelWriter<bool> changed)
    {
        var watcher = new FileSystemWatcher(Path.GetDirectoryName(path)!, Path.GetFileName(path))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        watcher.Changed += (_, _) => changed.TryWrite(true);
        watcher.EnableRaisingEvents = true;
        // A write between the first read and the watch would otherwise wait for the next one.
        changed.TryWrite(true);
        return watcher;
    }
}
