using System.CommandLine;
using Lute.Cli.Completion;
using Lute.Contracts;
using Lute.Host.Configuration;
using Lute.Host.Running;
using Lute.Host.Store;

namespace Lute.Cli.Commands;

/// <summary>
/// <c>lute stop RUN</c>, <c>lute continue RUN</c> and <c>lute cancel RUN</c>: ask the run's runner to stop, continue or
/// cancel its task, so the runner does it as it does for its own signals, records it and tells its hooks. With a
/// PostgreSQL store the request goes through the store and reaches the runner on any host (LISTEN/NOTIFY); with SQLite
/// it is SIGTSTP, SIGCONT or SIGTERM to the <c>lute run</c> process, on the run's host only. Only a runner that is
/// still the process that started the run is signalled: a process id the system gave to another process since is
/// never touched.
/// </summary>
internal static class SignalCommand
{
    public static Command Create(string name, string description)
    {
        var id = new Argument<long>("run") { Description = "the run's id (see lute history)" };
        CompletionSources.RunIds(id);
        var command = new Command(name, description) { id };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var config = LuteCommandLine.LoadConfiguration(parsed);
            await using var store = await Stores.OpenExistingAsync(config, cancellationToken).ConfigureAwait(false)
                              ?? throw new InputException($"there is no run {parsed.GetValue(id)}: {Stores.Missing(config)}");
            var run = await store.GetAsync(parsed.GetValue(id), cancellationToken).ConfigureAwait(false)
                      ?? throw new InputException($"there is no run {parsed.GetValue(id)} in {store.Location}");
            if (store is IRunControlChannel channel)
            {
                var askedBy = $"{System.Environment.UserName}@{System.Environment.MachineName}";
                if (await channel.RequestAsync(run, name, askedBy, cancellationToken).ConfigureAwait(false) is { } remoteRefusal)
                {
                    throw new InputException(remoteRefusal);
                }

                await Console.Out.WriteLineAsync($"Asked the runner of run {run.Id} (process {run.RunnerPid} on {Lute.Host.Logging.ControlCharacters.Escape(run.Host)}) to {name} its task, through {store.Location}").ConfigureAwait(false);
                return 0;
            }

            if (RunnerSignals.Send(run, name) is { } refusal)
            {
                throw new InputException(refusal);
            }

            await Console.Out.WriteLineAsync($"Asked the runner of run {run.Id} (process {run.RunnerPid}) to {name} its task").ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
