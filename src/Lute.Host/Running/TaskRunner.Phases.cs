using System.Globalization;
using System.Text.Json;
using Lute.Contracts;
using Lute.Host.Diagnostics;
using Lute.Host.Logging;
using Lute.Host.Protocol;
using Lute.Host.Store;

namespace Lute.Host.Running;

/// <summary>The phases of a run, in the order <see cref="TaskRunner.RunAsync"/> calls them.</summary>
public sealed partial class TaskRunner
{
    /// <summary>
    /// Binds the TCP listener when the settings choose TCP, before anything is recorded: an address that is not this
    /// machine's, or a full port range, is bad input.
    /// </summary>
    private async Task<TcpCommunicator?> BindListenerAsync(PreparedRun prepared, RunScope scope, CancellationToken cancellationToken)
    {
        if (!prepared.Communication.UseTcp)
        {
            return null;
        }

        var listener = await TcpCommunicator.BindAsync(
            prepared.Communication.Tcp, _config.MaxMessageBytes, prepared.Environment, prepared.SettingsOwner, cancellationToken).ConfigureAwait(false);
        return scope.Own(listener, l => Release(l)).Value;
    }

    /// <summary>
    /// Records the run as PENDING. A store that cannot be opened or written does not stop the task: its outcome is
    /// still logged, printed and returned as the exit code, and the problem is named at the start and at the end.
    /// </summary>
    private async Task<RecordedStart> RecordStartAsync(PreparedRun prepared, RunScope scope, CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.UtcNow;
        try
        {
            var recorder = _recorders is not null
                ? await _recorders.OpenAsync(cancellationToken).ConfigureAwait(false)
                : scope.Own(await RunStores.OpenAsync(_config, create: true, cancellationToken).ConfigureAwait(false)).Value;
            StartupTrace.Mark("result store opened");
            var runId = await recorder.StartedAsync(RunRecords.Started(prepared, startedAt), cancellationToken).ConfigureAwait(false);
            StartupTrace.Mark("run recorded (PENDING)");
            return new RecordedStart(recorder, runId, startedAt, null);
        }
        catch (StoreException e)
        {
            return new RecordedStart(null, 0, startedAt, e.Message);
        }
    }

    /// <summary>Opens the run: its log, its event channel and consumer, its control and its hooks; says it started.</summary>
    private async Task<LiveRun> OpenRunAsync(
        PreparedRun prepared, RecordedStart recorded, TcpCommunicator? listener, RunRequest request, RunScope scope, CancellationToken cancellationToken)
    {
        var run = RunInfoOf(prepared, recorded.RunId);
        var log = scope.Own(new RunLog(Path.Combine(_config.LogDirectory, LogFileName(prepared, recorded)), run.TaskName, _console, _config.ConsoleTaskOutput, _config.StoreMode)).Value;
        ReportProblems(recorded, log);
        var state = new RunState();
        var bus = scope.Own(new RunEventBus(), b => ReportLate(b, log.Runner)).Value;
        var control = new RunControl(state, bus, log.Runner);
        var critical = new CriticalFailure();
        var hooks = prepared.Hooks.Select(h => new HookInstance(
            h.Binding, h.Component, new HookContext(run, h.Settings, control) { Undelivered = new HookUndeliveredLog(h.Binding.Use, state, log.Runner, request.Observer) })).ToList();
        scope.Own(prepared, p => DisposeHooksAsync(p, log.Runner));
        var dispatcher = new HookDispatcher(hooks, log.Runner, reason => { critical.Set(reason); control.Cancel(reason); }, state.AddHookError, request.Observer);
        request.Controls?.Attach(control);
        if (RemoteControl.Listen(recorded.Recorder, recorded.RunId, control, log.Runner) is { } remote)
        {
            scope.Own(remote, r => { r.Dispose(); return ValueTask.CompletedTask; });
        }

        scope.Own(cancellationToken.Register(() => control.Cancel("cancelled by the caller")));
        var events = new RunEvents(state, recorded.Recorder, run.RunId, log, dispatcher, listener?.Hosts, run.TaskName, request.Observer);
        var live = new LiveRun
        {
            Prepared = prepared, Run = run, StartedAt = recorded.StartedAt, Recorder = recorded.Recorder, Log = log, State = state,
            Bus = bus, Control = control, Hooks = dispatcher, Critical = critical, Consuming = bus.ConsumeAsync(events.HandleAsync),
        };
        await bus.PublishAsync(new RunStartedEvent(recorded.StartedAt, run), CancellationToken.None).ConfigureAwait(false);
        LogStarting(log.Runner, run.RunId, run.TaskName, run.Executor, prepared.Redactor.Redact(string.Join(' ', prepared.Command)));
        return live;
    }

    /// <summary>
    /// Runs the task's part of the run: communicators, "before" tasklets, launch, supervision, drain, "after" tasklets.
    /// The execution and the event channel are this phase's: released (task ended, every event dispatched) before it
    /// returns. A runner failure ends the task and becomes a fact, never an exception.
    /// </summary>
    private async Task<RunFacts> RunTaskAsync(LiveRun live, TcpCommunicator? listener, RunScope scope)
    {
        var facts = new RunFacts { Timeout = live.Prepared.Timeout, Details = InitialDetails() };
        await using var task = new RunScope();
        task.Own(live, l => l.EndChannelAsync());
        try
        {
            var sessions = await OpenCommunicatorsAsync(live, listener, scope).ConfigureAwait(false);
            using var span = RunTraces.StartTask(live.Run);
            var environment = LaunchEnvironment.Compose(live.Prepared, sessions, live.Run, span?.Id);
            var tasklets = new TaskletRunner(live.Run, environment.Variables, live.Prepared.WorkingDirectory, _config.DrainTimeout, live.State, live.Logger);
            facts = facts with { TaskletFailure = await tasklets.RunAsync("before", live.Prepared.Before, live.Control.Cancelled).ConfigureAwait(false) };
            span?.SetStartTime(DateTime.UtcNow);
            var launch = facts.TaskletFailure is null && !live.Control.Cancelled.IsCancellationRequested
                ? await LaunchAsync(live, environment, sessions, facts.Details, task).ConfigureAwait(false)
                : null;
            facts = facts with { LaunchError = launch?.Error, Details = Merge(facts.Details, launch?.Execution), Cause = launch is null && facts.TaskletFailure is null ? EndCause.Cancelled : EndCause.Exited };
            var (exit, cause) = launch?.Execution is { } execution ? await SuperviseAsync(live, execution).ConfigureAwait(false) : (null, facts.Cause);
            facts = facts with { Exit = exit, Cause = cause };
            span?.Stop();
            await DrainAsync(live, sessions, exit).ConfigureAwait(false);
            facts = facts with { Details = Merge(facts.Details, launch?.Execution) };
            return facts is { Exit.Succeeded: true, Cause: EndCause.Exited } && live.State.TaskFailure is null
                ? facts with { TaskletFailure = await tasklets.RunAsync("after", live.Prepared.After, live.Control.Cancelled).ConfigureAwait(false) }
                : facts;
        }
        catch (OperationCanceledException) when (live.Control.Cancelled.IsCancellationRequested)
        {
            return facts with { Cause = EndCause.Cancelled };
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException or InvalidOperationException or LuteException)
        {
            // The runner's own failure (a socket that cannot be created, a plugin that throws): the task is ended (its
            // execution is released with this phase) and the run is recorded FAILED with the cause.
            LogRunnerError(live.Logger, e, e.Message);
            return facts with { RunnerError = $"runner error: {e.Message}" };
        }
    }

    /// <summary>Opens the standard-stream communicator and the structured one (a plugin's, TCP or the Unix socket).</summary>
    private async Task<IReadOnlyList<ICommunicatorSession>> OpenCommunicatorsAsync(LiveRun live, TcpCommunicator? listener, RunScope scope)
    {
        var structured = live.Prepared.PluginCommunicator is { } plugin
            ? (plugin.Communicator, plugin.Settings)
            : ((ICommunicator?)listener ?? new UnixSocketCommunicator(_config.MaxMessageBytes), PluginSettings.Empty);
        var sessions = new List<ICommunicatorSession>();
        foreach (var (communicator, settings) in new[] { (new StreamCommunicator(), PluginSettings.Empty), structured })
        {
            var context = new CommunicatorContext(live.Run, live.Bus, settings, live.Logger);
            sessions.Add(scope.Own(await communicator.OpenAsync(context, CancellationToken.None).ConfigureAwait(false)).Value);
        }

        return sessions;
    }

    /// <summary>Launches the task; a launch the executor refuses is a fact, not an exception.</summary>
    private async Task<Launch> LaunchAsync(
        LiveRun live, LaunchEnvironment environment, IReadOnlyList<ICommunicatorSession> sessions, IReadOnlyDictionary<string, string> details, RunScope task)
    {
        IExecution execution;
        try
        {
            execution = await live.Prepared.Executor.LaunchAsync(LaunchRequestOf(live, environment), live.Control.Cancelled).ConfigureAwait(false);
        }
        catch (LaunchException e)
        {
            LogLaunchFailed(live.Logger, e.Message);
            return new Launch(null, e.Message);
        }

        task.Own(execution);
        live.Control.Attach(execution);
        if (live.Prepared.Task.CpuAffinity)
        {
            task.Own(RunnerPin.Pin(live.Logger), pin => Release(pin));
        }

        await RecordLaunchAsync(live, execution, Merge(details, execution), sessions, environment).ConfigureAwait(false);
        await live.Bus.PublishAsync(new TaskLaunchedEvent(DateTimeOffset.UtcNow, execution.ProcessId, execution.Details), CancellationToken.None).ConfigureAwait(false);
        foreach (var session in sessions)
        {
            await session.AttachAsync(execution, CancellationToken.None).ConfigureAwait(false);
        }

        StartupTrace.Mark("task launched");
        return new Launch(execution, null);
    }

    /// <summary>
    /// Decides the outcome from the facts, writes the report, and tells hooks how the run ended. A critical hook that
    /// fails on that very event still fails the run: the outcome is decided again, by the same function, with it.
    /// </summary>
    private async Task<RunResult> DecideAsync(LiveRun live, RunFacts facts)
    {
        if (live.Prepared.Result is not null && live.State.Payload is null)
        {
            live.State.SetPayload(JsonSerializer.SerializeToElement(live.Prepared.Result, HostJson.Stored.String));
        }

        facts = facts with
        {
            CancelReason = live.Control.CancelReason, TaskFailure = live.State.TaskFailure, TaskCancelled = live.State.TaskCancelled,
            CriticalHookFailure = live.Critical.Reason,
        };
        var result = ResultOf(live, facts, OutcomeDecision.Decide(facts));
        result = result with { ReportPath = RunReport.Write(Path.ChangeExtension(live.Log.Path, ".report.html"), result, live.State.ReportItems(), _config.StoreMode, live.Logger) };
        await live.Hooks.DispatchAsync(new RunEndedEvent(DateTimeOffset.UtcNow, result), live.Run.TaskName, CancellationToken.None).ConfigureAwait(false);
        var late = facts.CriticalHookFailure is null && live.Critical.Reason is { } reason ? OutcomeDecision.Decide(facts with { CriticalHookFailure = reason }) : null;
        return result with
        {
            Summary = live.State.Summary(),
            Status = late?.Status ?? result.Status,
            Reason = late is null ? result.Reason : late.Reason,
        };
    }

    /// <summary>Records the outcome; a store that fails here is named in the outcome, and the run's result stands.</summary>
    private async Task<RunOutcome> RecordOutcomeAsync(LiveRun live, RecordedStart recorded, RunResult result)
    {
        var problem = recorded.Problem;
        if (live.Recorder is { } recorder)
        {
            try
            {
                StartupTrace.Mark("run ended");
                await recorder.FinishedAsync(live.Run.RunId, RunRecords.Finished(result, live.Log.Path, live.State), CancellationToken.None).ConfigureAwait(false);
                StartupTrace.Mark("result recorded");
            }
            catch (StoreException e)
            {
                problem = e.Message;
                LogStoreFailed(live.Logger, e.Message);
            }
        }

        LogEnded(live.Logger, live.Run.RunId, result.Status.ToString().ToUpperInvariant(), result.Reason ?? "success", result.Duration.TotalSeconds);
        var stored = problem is null;
        return new RunOutcome(result, _config.StorePath, live.Log.Path, stored) { StoreProblem = stored ? null : problem, LogProblem = live.Log.FileProblem };
    }
}
