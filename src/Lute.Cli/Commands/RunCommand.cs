using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using Lute.Cli.Completion;
using Lute.Cli.Json;
using Lute.Cli.Live;
using Lute.Cli.Monitoring;
using Lute.Cli.Tracing;
using Lute.Host.Configuration;
using Lute.Host.Diagnostics;
using Lute.Host.Logging;
using Lute.Host.Plugins;
using Lute.Host.Running;
using Lute.Host.Store;
using Microsoft.Extensions.Logging;

namespace Lute.Cli.Commands;

/// <summary><c>lute run FILE [TASK]</c>: runs a task and records its result.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("task-file") { Description = "the task file (YAML)" };
        var task = new Argument<string?>("task") { Description = "the task to run (may be left out when the file has one task)", Arity = ArgumentArity.ZeroOrOne };
        CompletionSources.TaskNames(task, file);
        var verbose = new Option<bool>("--verbose", "-v") { Description = "log the runner's details too" };
        var json = CliJson.Option();
        var quiet = new Option<bool>("--quiet", "-q") { Description = "no live status line (it is shown only when standard output and error are a terminal)" };
        var metrics = new Option<string?>("--metrics") { Description = "serve Prometheus /metrics of the live run at ADDRESS:PORT (127.0.0.1:9464) until it ends" };
        var command = new Command("run", "Runs a task: prepares its environment, launches it with its executor, calls hooks, enforces its time limit and records the result")
        {
            file, task, verbose, json, quiet, metrics,
        };
        command.SetAction((parsed, cancellationToken) => RunAsync(parsed.GetValue(file)!, parsed.GetValue(task), parsed.GetValue(verbose), parsed.GetValue(json), parsed.GetValue(quiet), parsed.GetValue(metrics), parsed, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string path, string? taskName, bool verbose, bool json, bool quiet, string? metricsAddress, ParseResult parsed, CancellationToken cancellationToken)
    {
        var metricsAt = metricsAddress is null ? null : LiveMetrics.Parse(metricsAddress);
        using var tracing = TraceExport.StartIfWanted();
        var relay = new RunControlRelay();
        using var signals = new SignalHandlers(relay);
        StartupTrace.Mark("command line parsed");
        var config = LuteCommandLine.LoadConfiguration(parsed);
        var taskFile = TaskFileLoader.Load(path);
        StartupTrace.Mark("plugins.yaml and task file read");
        if (taskName is null)
        {
            if (taskFile.Tasks.Count != 1)
            {
                throw new InputException($"{path} defines {taskFile.Tasks.Count} tasks; name one: lute run {path} TASK ({string.Join(", ", taskFile.Tasks.Select(t => t.Name))})");
            }

            taskName = taskFile.Tasks[0].Name;
        }

        // SQLite's start-up cost overlaps plugin loading on another core.
        var warming = Task.Run(SqliteRunRecorder.WarmUp, cancellationToken);
        using var metrics = metricsAt is null ? null : LiveMetrics.Start(metricsAt);
        await using var live = LiveStatus.StartIfWanted(quiet || json, ConsoleLogging.OutputTemplate);
        await using var logging = new ConsoleLogging(verbose, live);
        StartupTrace.Mark("console logging set up");
        using var plugins = PluginHost.Load(config, logging.Factory, TaskRunner.ComponentsUsed(config, taskFile, taskName));
        StartupTrace.Mark("plugins loaded");
        await warming.ConfigureAwait(false);
        await using var recorders = new RunRecorderSource(ct => RunStores.OpenAsync(config, create: true, ct));
        var runner = new TaskRunner(config, plugins, logging.Logger, recorders);
        var outcome = await runner.RunAsync(new RunRequest(taskFile, taskName) { Controls = relay, Observer = RunObservers.Of(live, metrics) }, cancellationToken).ConfigureAwait(false);
        if (recorders.Opened is { } recorder)
        {
            // The store is open: other runs of this host whose runner died are marked ABANDONED.
            await AbandonedRuns.RepairAsync(recorder, logging.Factory.CreateLogger("Lute.Runner"), CancellationToken.None).ConfigureAwait(false);
        }

        // Spans are flushed (bounded) before the last lines and the exit; the run's metrics are served no longer.
        tracing?.Dispose();
        metrics?.Dispose();
        if (live is not null)
        {
            // The status line is cleared before the last lines, so they are never drawn over.
            await live.DisposeAsync().ConfigureAwait(false);
        }

        await logging.DisposeAsync().ConfigureAwait(false);
        StartupTrace.Mark("run finished, logs flushed");

        var result = outcome.Result;
        if (json)
        {
            OutcomeJson.Print(outcome);
            return outcome.ExitCode;
        }

        var exitText = result.ExitCode is { } code ? $"exit code {code}" : result.Signal is { } signal ? $"signal {signal}" : "not launched";
        Console.Out.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Run {(outcome.Recorded || result.Run.RunId != 0 ? result.Run.RunId.ToString(CultureInfo.InvariantCulture) : "(not recorded)")} ({result.Run.TaskName}, {result.Run.Executor}) {result.Status.ToString().ToUpperInvariant()} in {result.Duration.TotalSeconds:0.###}s, {exitText}{(result.Reason is null ? string.Empty : $": {ControlCharacters.Escape(result.Reason)}")}"));
        Console.Out.WriteLine(outcome.Recorded
            ? $"Result recorded in {outcome.StorePath} (lute show {result.Run.RunId})"
            : $"Result NOT recorded: {outcome.StoreProblem ?? $"the result store {outcome.StorePath} could not be written"}");
        Console.Out.WriteLine(outcome.LogProblem is null ? $"Log: {outcome.LogPath}" : $"Log: none ({outcome.LogProblem})");
        return outcome.ExitCode;
    }

    /// <summary>SIGINT, SIGTERM, SIGHUP and SIGQUIT cancel the run gracefully; SIGTSTP stops and SIGCONT continues the task.</summary>
    private sealed class SignalHandlers : IDisposable
    {
        private readonly List<PosixSignalRegistration> _registrations = [];

        public SignalHandlers(RunControlRelay relay)
        {
            foreach (var (signal, name) in new[] { (PosixSignal.SIGINT, "SIGINT"), (PosixSignal.SIGTERM, "SIGTERM"), (PosixSignal.SIGHUP, "SIGHUP"), (PosixSignal.SIGQUIT, "SIGQUIT") })
            {
                _registrations.Add(PosixSignalRegistration.Create(signal, context =>
                {
                    context.Cancel = true;
                    relay.Cancel($"lute received {name}");
                }));
            }

            _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTSTP, context =>
            {
                context.Cancel = true;
                _ = relay.StopAsync("lute received SIGTSTP").AsTask();
            }));
            _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGCONT, context =>
            {
                context.Cancel = true;
                _ = relay.ContinueAsync("lute received SIGCONT").AsTask();
            }));
        }

        public void Dispose()
        {
            foreach (var registration in _registrations)
            {
                registration.Dispose();
            }
        }
    }
}
