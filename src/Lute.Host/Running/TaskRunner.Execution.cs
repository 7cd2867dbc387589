using System.Globalization;
using System.Text.Json;
using Lute.Contracts;
using Lute.Host.Configuration;
using Lute.Host.Diagnostics;
using Lute.Host.Environment;
using Lute.Host.Logging;
using Lute.Host.Protocol;
using Lute.Host.Store;
using Microsoft.Extensions.Logging;

namespace Lute.Host.Running;

public sealed partial class TaskRunner
{
    private enum EndCause
    {
        Exited,
        TimedOut,
        Cancelled,
    }

    /// <summary>Runs a task to its end and records the result.</summary>
    /// <param name="request">What to run.</param>
    /// <param name="cancellationToken">Cancels the run gracefully (graceful signal, then forceful); the run ends CANCELLED.</param>
    /// <returns>The outcome.</returns>
    /// <exception cref="LuteException">Bad input (nothing was recorded or launched), or the result store cannot be opened.</exception>
    public async Task<RunOutcome> RunAsync(RunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var prepared = await PrepareAsync(request, cancellationToken).ConfigureAwait(false);
        StartupTrace.Mark("run prepared (components created, templates rendered, environment built)");
        using var tcp = prepared.Communication.UseTcp
            ? await TcpCommunicator.BindAsync(prepared.Communication.Tcp, config.MaxMessageBytes, prepared.Environment, prepared.SettingsOwner, cancellationToken).ConfigureAwait(false)
            : null;
        var startedAt = DateTimeOffset.UtcNow;
        var environmentChanges = TaskEnvironment.Changes(prepared.BaseEnvironment, prepared.Environment);
        // A store that cannot be opened or written does not stop the task: its outcome is still logged, printed and
        // returned as the exit code, and the problem is named at the start and at the end.
        var (store, runId, storeProblem) = await RecordPendingAsync(prepared, startedAt, environmentChanges, cancellationToken).ConfigureAwait(false);
        await using var ownedStore = store;

        var run = new RunInfo
        {
            RunId = runId,
            TaskName = prepared.Task.Name,
            Executor = prepared.ExecutorName,
            Experiment = prepared.File.Header.Experiment,
            ExperimentRun = prepared.File.Header.Run,
            WorkDirectory = prepared.WorkingDirectory,
            Parameters = prepared.Parameters,
            Host = System.Environment.MachineName,
        };
        var logName = store is null
            ? $"unrecorded-{startedAt.UtcDateTime.ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture)}-{System.Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{SafeFileName(prepared.Task.Name)}.log"
            : $"{runId.ToString(CultureInfo.InvariantCulture)}-{SafeFileName(prepared.Task.Name)}.log";
        StartupTrace.Mark("run recorded (PENDING)");
        await using var log = new RunLog(Path.Combine(config.LogDirectory, logName), prepared.Task.Name, console, config.ConsoleTaskOutput, config.StoreMode);
        if (storeProblem is not null)
        {
            LogNotRecorded(log.Runner, storeProblem);
        }

        if (log.FileProblem is { } fileProblem)
        {
            LogNoLogFile(log.Runner, fileProblem);
        }

        var state = new RunState();
        var result = await ExecuteAsync(prepared, tcp, run, startedAt, store, log, state, environmentChanges, request.Controls, cancellationToken).ConfigureAwait(false);

        var recorded = store is not null;
        if (store is not null)
        {
            try
            {
                StartupTrace.Mark("run ended");
                await store.FinishedAsync(runId, Final(result, log.Path, state), CancellationToken.None).ConfigureAwait(false);
                StartupTrace.Mark("result recorded");
            }
            catch (StoreException e)
            {
                recorded = false;
                storeProblem = e.Message;
                LogStoreFailed(log.Runner, e.Message);
            }

            await MarkAbandonedAsync(store, log.Runner).ConfigureAwait(false);
        }

        LogEnded(log.Runner, runId, result.Status.ToString().ToUpperInvariant(), result.Reason ?? "success", result.Duration.TotalSeconds);
        return new RunOutcome(result, config.StorePath, log.Path, recorded) { StoreProblem = recorded ? null : storeProblem, LogProblem = log.FileProblem };
    }

    /// <summary>Runs of this host whose runner died without recording an outcome are marked ABANDONED.</summary>
    private static async Task MarkAbandonedAsync(IRunRecorder store, ILogger logger)
    {
        try
        {
            var marked = await store.MarkAbandonedAsync(System.Environment.MachineName, RunnerLiveness.IsAlive, DateTimeOffset.UtcNow, CancellationToken.None).ConfigureAwait(false);
            foreach (var run in marked)
            {
                LogAbandoned(logger, run.Id, run.Task, run.Reason ?? string.Empty);
            }
        }
        catch (StoreException e)
        {
            LogStoreFailed(logger, e.Message);
        }
    }

    private async Task<(IRunRecorder? Store, long RunId, string? Problem)> RecordPendingAsync(
        PreparedRun prepared, DateTimeOffset startedAt, SortedDictionary<string, string?> environmentChanges, CancellationToken cancellationToken)
    {
        SqliteRunRecorder? store = null;
        try
        {
            store = await SqliteRunRecorder.OpenAsync(config.StorePath, config.StoreMode, cancellationToken).ConfigureAwait(false);
            StartupTrace.Mark("result store opened");
            var runId = await store.StartedAsync(
                new NewRun
                {
                    Task = TaskNames.Base(prepared.Task.Name),
                    TaskFullName = TaskNames.Base(prepared.Task.Name) == prepared.Task.Name ? null : prepared.Task.Name,
                    Description = prepared.Task.Description,
                    TaskFile = prepared.File.Path,
                    Executor = prepared.ExecutorName,
                    Experiment = prepared.File.Header.Experiment,
                    ExperimentRun = prepared.File.Header.Run,
                    StartedAt = startedAt,
                    Host = System.Environment.MachineName,
                    RunnerPid = System.Environment.ProcessId,
                    Command = prepared.Command.Select(prepared.Redactor.Redact).ToList(),
                    Parameters = prepared.Parameters.ToDictionary(p => p.Key, p => prepared.Redactor.Redact(p.Value)),
                    Environment = prepared.Redactor.Redact(environmentChanges),
                    WorkDirectory = prepared.WorkingDirectory,
                },
                cancellationToken).ConfigureAwait(false);
            return (store, runId, null);
        }
        catch (StoreException e)
        {
            if (store is not null)
            {
                await store.DisposeAsync().ConfigureAwait(false);
            }

            return (null, 0, e.Message);
        }
    }

    private async Task<RunResult> ExecuteAsync(
        PreparedRun prepared,
        TcpCommunicator? tcp,
        RunInfo run,
        DateTimeOffset startedAt,
        IRunRecorder? store,
        RunLog log,
        RunState state,
        SortedDictionary<string, string?> environmentChanges,
        RunControlRelay? relay,
        CancellationToken cancellationToken)
    {
        var logger = log.Runner;
        var bus = new RunEventBus();
        var control = new RunControl(state, bus, logger);
        string? criticalFailure = null;
        var hooks = prepared.Hooks.Select(h => new HookInstance(
            h.Binding,
            h.Component,
            new HookContext(run, h.Settings, control) { Undelivered = new HookUndeliveredLog(h.Binding.Use, state, logger) })).ToList();
        var dispatcher = new HookDispatcher(
            hooks,
            logger,
            reason =>
            {
                Interlocked.CompareExchange(ref criticalFailure, reason, null);
                control.Cancel(reason);
            },
            state.AddHookError);
        relay?.Attach(control);
        await using var callerCancel = cancellationToken.Register(() => control.Cancel("cancelled by the caller"));

        var consuming = bus.ConsumeAsync(async (taskEvent, reply) =>
        {
            state.Apply(taskEvent);
            if (taskEvent is TaskStatusEvent { Status: RunStatus.Stopped or RunStatus.Running } status && store is not null)
            {
                await RecordStatusAsync(store, run.RunId, status.Status, logger).ConfigureAwait(false);
            }

            if (taskEvent is LogLineEvent line)
            {
                log.TaskLine(line.Source, line.Rank, line.Text, line.Rank is { } rank ? tcp?.Hosts.Of(rank) : null);
            }

            if (reply is not null)
            {
                reply.TrySetResult(await dispatcher.AnswerAsync((TaskMessageEvent)taskEvent, run.TaskName, CancellationToken.None).ConfigureAwait(false));
            }

            await dispatcher.DispatchAsync(taskEvent, run.TaskName, CancellationToken.None).ConfigureAwait(false);
        });

        await bus.PublishAsync(new RunStartedEvent(startedAt, run), CancellationToken.None).ConfigureAwait(false);
        LogStarting(logger, run.RunId, run.TaskName, run.Executor, prepared.Redactor.Redact(string.Join(' ', prepared.Command)));

        var sessions = new List<ICommunicatorSession>();
        IExecution? execution = null;
        ProcessExit? exit = null;
        var cause = EndCause.Exited;
        string? launchError = null;
        string? taskletFailure = null;
        string? runnerError = null;
        RunnerPin? pin = null;
        var details = new Dictionary<string, string>();
        if (System.Environment.GetEnvironmentVariable("SLURM_JOB_ID") is { Length: > 0 } allocation)
        {
            // The runner itself runs inside a SLURM job (lute submit): `lute status JOB` finds the run by it.
            details["slurm_allocation"] = allocation;
        }

        try
        {
            var communicatorContext = new CommunicatorContext(run, bus, PluginSettings.Empty, logger);
            foreach (var key in ProtocolConstants.Variables)
            {
                // A runner started from a task must not hand its own runner's address to its task.
                prepared.Environment.Remove(key);
            }

            foreach (var communicator in new ICommunicator[] { new StreamCommunicator(), (ICommunicator?)tcp ?? new UnixSocketCommunicator(config.MaxMessageBytes) })
            {
                var session = await communicator.OpenAsync(communicatorContext, CancellationToken.None).ConfigureAwait(false);
                sessions.Add(session);
                foreach (var (key, value) in session.TaskEnvironment)
                {
                    prepared.Environment[key] = value;
                }
            }

            prepared.Environment[ProtocolConstants.RunIdVariable] = run.RunId.ToString(CultureInfo.InvariantCulture);
            prepared.Environment[ProtocolConstants.TaskVariable] = run.TaskName;
            foreach (var key in ProtocolConstants.Variables)
            {
                var value = prepared.Environment.GetValueOrDefault(key);
                if (value is null && !prepared.BaseEnvironment.ContainsKey(key))
                {
                    environmentChanges.Remove(key);
                }
                else
                {
                    // The token (LUTE_TOKEN opens the runner's port) is masked with every secret when recorded.
                    environmentChanges[key] = value;
                }
            }

            var tasklets = new TaskletRunner(run, prepared.Environment, prepared.WorkingDirectory, config.DrainTimeout, state, logger);
            taskletFailure = await tasklets.RunAsync("before", prepared.Before, control.Cancelled).ConfigureAwait(false);
            if (taskletFailure is null && !control.Cancelled.IsCancellationRequested)
            {
                try
                {
                    execution = await prepared.Executor.LaunchAsync(
                        new LaunchRequest
                        {
                            Run = run,
                            Command = prepared.Command,
                            WorkingDirectory = prepared.WorkingDirectory,
                            Environment = prepared.Environment,
                            Resources = prepared.Resources,
                            StandardInput = prepared.Task.StandardInput,
                            CpuAffinity = prepared.Task.CpuAffinity,
                            Settings = prepared.ExecutorSettings,
                        },
                        control.Cancelled).ConfigureAwait(false);
                }
                catch (LaunchException e)
                {
                    launchError = e.Message;
                    LogLaunchFailed(logger, e.Message);
                }

                if (execution is not null)
                {
                    control.Attach(execution);
                    pin = prepared.Task.CpuAffinity ? RunnerPin.Pin(logger) : null;
                    foreach (var (key, value) in execution.Details)
                    {
                        details[key] = value;
                    }

                    try
                    {
                        await (store?.LaunchedAsync(
                            run.RunId,
                            new LaunchedRun
                            {
                                TaskPid = execution.ProcessId,
                                Details = details,
                                Communicators = sessions.Select(s => s.Description).ToList(),
                                LogPath = log.Path,
                                Environment = prepared.Redactor.Redact(environmentChanges),
                            },
                            CancellationToken.None) ?? Task.CompletedTask).ConfigureAwait(false);
                    }
                    catch (StoreException e)
                    {
                        // The task runs on; the outcome is still reported (and written, if the store recovers).
                        LogStoreFailed(logger, e.Message);
                    }

                    await bus.PublishAsync(new TaskLaunchedEvent(DateTimeOffset.UtcNow, execution.ProcessId, execution.Details), CancellationToken.None).ConfigureAwait(false);
                    foreach (var session in sessions)
                    {
                        await session.AttachAsync(execution, CancellationToken.None).ConfigureAwait(false);
                    }

                    StartupTrace.Mark("task launched");
                    using var stops = new TaskStopWatcher(execution.ProcessId, control.Observed);
                    (exit, cause) = await SuperviseAsync(execution, prepared, control, logger).ConfigureAwait(false);
                    StartupTrace.Mark("task exited");
                    await EndLeftoversAsync(execution, logger).ConfigureAwait(false);
                }
            }
            else if (taskletFailure is null)
            {
                cause = EndCause.Cancelled;
            }

            await DrainAsync(sessions, logger).ConfigureAwait(false);
            StartupTrace.Mark("communicators drained");
            if (exit is not null)
            {
                // Published after the drain, so hooks see every line and message of the task before its exit.
                await bus.PublishAsync(new ProcessExitedEvent(DateTimeOffset.UtcNow, exit), CancellationToken.None).ConfigureAwait(false);
            }

            // Every event the task sent is dispatched before the outcome is decided.
            bus.Complete();
            await consuming.ConfigureAwait(false);
            if (execution is not null)
            {
                foreach (var (key, value) in execution.Details)
                {
                    details[key] = value;
                }
            }

            if (exit is { Succeeded: true } && cause == EndCause.Exited && state.TaskFailure is null)
            {
                taskletFailure = await tasklets.RunAsync("after", prepared.After, control.Cancelled).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (control.Cancelled.IsCancellationRequested)
        {
            cause = EndCause.Cancelled;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException
                                      or InvalidOperationException or LuteException)
        {
            // The runner's own failure (a socket that cannot be created, a plugin that throws): the task is ended
            // (by disposing its execution below) and the run is recorded FAILED with the cause.
            runnerError = $"runner error: {e.Message}";
            LogRunnerError(logger, e, e.Message);
        }
        finally
        {
            pin?.Dispose();
            if (execution is not null)
            {
                await execution.DisposeAsync().ConfigureAwait(false);
            }

            bus.Complete();
            await consuming.ConfigureAwait(false);
        }

        if (prepared.Result is not null && state.Payload is null)
        {
            state.SetPayload(JsonSerializer.SerializeToElement(prepared.Result, HostJson.Stored.String));
        }

        var result = Decide(run, startedAt, exit, cause, launchError, taskletFailure ?? runnerError, control, state, details, prepared);
        if (runnerError is not null && result.Status == RunStatus.Completed)
        {
            result = result with { Status = RunStatus.Failed, Reason = runnerError };
        }

        result = result with { ReportPath = RunReport.Write(Path.ChangeExtension(log.Path, ".report.html"), result, state.ReportItems(), config.StoreMode, logger) };
        await dispatcher.DispatchAsync(new RunEndedEvent(DateTimeOffset.UtcNow, result), run.TaskName, CancellationToken.None).ConfigureAwait(false);
        foreach (var session in sessions)
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }

        await DisposeHooksAsync(prepared, logger).ConfigureAwait(false);
        if (bus.Late > 0)
        {
            LogLate(logger, bus.Late);
        }

        var critical = Volatile.Read(ref criticalFailure);
        return result with
        {
            Summary = state.Summary(),
            Status = critical is not null ? RunStatus.Failed : result.Status,
            Reason = critical ?? result.Reason,
        };
    }

    /// <summary>A stop or continue is recorded as it happens (STOPPED, RUNNING again); a store failure only logs.</summary>
    private static async Task RecordStatusAsync(IRunRecorder store, long runId, RunStatus status, ILogger logger)
    {
        try
        {
            await store.StatusChangedAsync(runId, status, CancellationToken.None).ConfigureAwait(false);
        }
        catch (StoreException e)
        {
            LogStoreFailed(logger, e.Message);
        }
    }

    private async Task<(ProcessExit Exit, EndCause Cause)> SuperviseAsync(IExecution execution, PreparedRun prepared, RunControl control, ILogger logger)
    {
        var exit = execution.WaitForExitAsync(CancellationToken.None);
        using var timeout = new CancellationTokenSource();
        if (prepared.Timeout is { } limit)
        {
            timeout.CancelAfter(limit);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, control.Cancelled);
        try
        {
            return (await exit.WaitAsync(stop.Token).ConfigureAwait(false), EndCause.Exited);
        }
        catch (OperationCanceledException)
        {
        }

        var cause = timeout.IsCancellationRequested && !control.Cancelled.IsCancellationRequested ? EndCause.TimedOut : EndCause.Cancelled;
        if (cause == EndCause.TimedOut)
        {
            LogTimedOut(logger, prepared.Timeout!.Value.TotalSeconds, prepared.Task.CancelSignal, prepared.GracePeriod.TotalSeconds);
        }

        await SignalQuietlyAsync(execution, prepared.Task.CancelSignal, logger).ConfigureAwait(false);
        // A stopped task cannot act on the graceful signal until it runs again.
        control.ContinuingToEnd();
        await SignalQuietlyAsync(execution, TaskSignal.Continue, logger).ConfigureAwait(false);
        if (await Task.WhenAny(exit, Task.Delay(prepared.GracePeriod, control.Forced)).ConfigureAwait(false) != exit)
        {
            LogForceful(logger, prepared.GracePeriod.TotalSeconds);
            await SignalQuietlyAsync(execution, TaskSignal.Kill, logger).ConfigureAwait(false);
        }

        return (await exit.ConfigureAwait(false), cause);
    }

    /// <summary>Hooks are built for one run (with their binding's settings): release what they hold (HTTP clients...).</summary>
    private static async Task DisposeHooksAsync(PreparedRun prepared, ILogger logger)
    {
        foreach (var (binding, component, _) in prepared.Hooks)
        {
            try
            {
                switch (component)
                {
                    case IAsyncDisposable asyncDisposable:
                        await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                        break;
                    case IDisposable disposable:
                        disposable.Dispose();
                        break;
                }
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or ObjectDisposedException or LuteException)
            {
                LogHookDisposeFailed(logger, binding.Use, e.Message);
            }
        }
    }

    private static async Task EndLeftoversAsync(IExecution execution, ILogger logger) =>
        await SignalQuietlyAsync(execution, TaskSignal.Kill, logger).ConfigureAwait(false);

    private async Task DrainAsync(List<ICommunicatorSession> sessions, ILogger logger)
    {
        using var limit = new CancellationTokenSource(config.DrainTimeout);
        try
        {
            await Task.WhenAll(sessions.Select(s => s.DrainAsync(limit.Token))).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            LogDrainTimeout(logger, config.DrainTimeout.TotalSeconds);
        }
    }

    private static async Task SignalQuietlyAsync(IExecution execution, TaskSignal signal, ILogger logger)
    {
        try
        {
            await execution.SignalAsync(signal, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or LuteException)
        {
            LogSignalFailed(logger, signal, e.Message);
        }
    }

    private static string SafeFileName(string name) =>
        string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));

    [LoggerMessage(EventId = 600, Level = LogLevel.Information, Message = "Run {RunId}: task {Task} with executor {Executor}: {Command}")]
    private static partial void LogStarting(ILogger logger, long runId, string task, string executor, string command);

    [LoggerMessage(EventId = 601, Level = LogLevel.Error, Message = "Launch failed: {Error}")]
    private static partial void LogLaunchFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 602, Level = LogLevel.Warning, Message = "The task exceeded its time limit of {Seconds}s: sending {Signal}, then SIGKILL after {Grace}s")]
    private static partial void LogTimedOut(ILogger logger, double seconds, TaskSignal signal, double grace);

    [LoggerMessage(EventId = 603, Level = LogLevel.Warning, Message = "The task did not end within the {Grace}s grace period: sending SIGKILL to all its processes")]
    private static partial void LogForceful(ILogger logger, double grace);

    [LoggerMessage(EventId = 604, Level = LogLevel.Warning, Message = "The task's last output did not arrive within {Seconds}s of its exit (a process it started may hold its output open)")]
    private static partial void LogDrainTimeout(ILogger logger, double seconds);

    [LoggerMessage(EventId = 605, Level = LogLevel.Warning, Message = "Could not deliver {Signal}: {Error}")]
    private static partial void LogSignalFailed(ILogger logger, TaskSignal signal, string error);

    [LoggerMessage(EventId = 606, Level = LogLevel.Warning, Message = "{Count} events arrived after the run ended and were not dispatched")]
    private static partial void LogLate(ILogger logger, long count);

    [LoggerMessage(EventId = 607, Level = LogLevel.Error, Message = "The outcome could not be written to the result store: {Error}")]
    private static partial void LogStoreFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 614, Level = LogLevel.Warning, Message = "Run {RunId} ({Task}) marked ABANDONED: {Reason}")]
    private static partial void LogAbandoned(ILogger logger, long runId, string task, string reason);

    [LoggerMessage(EventId = 612, Level = LogLevel.Error, Message = "The run is NOT recorded: {Problem}; the task runs and its outcome is logged and returned")]
    private static partial void LogNotRecorded(ILogger logger, string problem);

    [LoggerMessage(EventId = 613, Level = LogLevel.Error, Message = "No log file for this run: {Problem}; the task's output goes to the console only")]
    private static partial void LogNoLogFile(ILogger logger, string problem);

    [LoggerMessage(EventId = 609, Level = LogLevel.Error, Message = "The runner failed: {Error}; ending the task")]
    private static partial void LogRunnerError(ILogger logger, Exception exception, string error);

    [LoggerMessage(EventId = 610, Level = LogLevel.Warning, Message = "Hook {Hook} failed to release its resources: {Error}")]
    private static partial void LogHookDisposeFailed(ILogger logger, string hook, string error);

    [LoggerMessage(EventId = 608, Level = LogLevel.Information, Message = "Run {RunId} ended {Status} ({Reason}) after {Seconds:0.###}s")]
    private static partial void LogEnded(ILogger logger, long runId, string status, string reason, double seconds);
}
