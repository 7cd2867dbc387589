using System.CommandLine;
using Lute.Host.Configuration;
using Lute.Host.Store;

namespace Lute.Cli.Commands;

/// <summary>
/// <c>lute store migrate --from FILE.db</c>: copies a SQLite history into the configured PostgreSQL store, once: runs
/// it has already (the same task, host, runner and start) are counted and left out, so it can be run again.
/// </summary>
internal static class StoreCommand
{
    public static Command Create()
    {
        var from = new Option<string>("--from") { Description = "the SQLite store to copy from", Required = true };
        var migrate = new Command("migrate", "Copies a SQLite store's runs into the configured PostgreSQL store (again: only what is missing)") { from };
        migrate.SetAction(async (parsed, cancellationToken) =>
        {
            var config = LuteCommandLine.LoadConfiguration(parsed);
            var source = Path.GetFullPath(parsed.GetValue(from)!);
            if (config.StoreConnection is null)
            {
                throw new InputException($"the configured store {config.StorePath} is a SQLite file; name a PostgreSQL store in plugins.yaml (store: postgresql://USER@HOST:PORT/DATABASE) to copy into");
            }

            if (!File.Exists(source))
            {
                throw new InputException($"there is no SQLite store at {source}");
            }

            IReadOnlyList<RunRecord> runs;
            await using (var sqlite = await SqliteRunRecorder.OpenAsync(source, createMode: null, cancellationToken).ConfigureAwait(false))
            {
                runs = await sqlite.HistoryAsync(int.MaxValue, null, cancellationToken).ConfigureAwait(false);
            }

            await using var target = (PostgresRunRecorder)await RunStores.OpenAsync(config, create: false, cancellationToken).ConfigureAwait(false);
            var (copied, present) = await target.ImportAsync(runs, cancellationToken).ConfigureAwait(false);
            await Console.Out.WriteLineAsync($"Copied {copied} runs from {source} to {target.Location}; {present} were there already ({runs.Count} read)").ConfigureAwait(false);
            return 0;
        });
        return new Command("store", "The result store: copy a SQLite history into PostgreSQL") { migrate };
    }
}
