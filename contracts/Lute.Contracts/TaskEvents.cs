namespace Lute.Contracts;

/// <summary>
/// Something that happened during a run. The family is closed: consume it with pattern matching.
/// <see cref="Name"/> is the name hooks subscribe to in plugins.yaml (<c>on: [started, done]</c>).
/// </summary>
/// <param name="Timestamp">When it happened.</param>
public abstract record TaskEvent(DateTimeOffset Timestamp)
{
    /// <summary>The event's name for hook subscriptions; see <see cref="HookEvents"/>.</summary>
    public abstract string Name { get; }
}

/// <summary>The runner has recorded the run and is about to prepare it.</summary>
/// <param name="Timestamp">When it happened.</param>
/// <param name="Run">The run.</param>
public sealed record RunStartedEvent(DateTimeOffset Timestamp, RunInfo Run) : TaskEvent(Timestamp)
{
    /// <inheritdoc />
    public override string Name => HookEvents.RunStart;
}

/// <summary>The executor has launched the task's process.</summary>
/// <param name="Timestamp">When it happened.</param>
/// <param name="ProcessId">The launched process's id.</param>
/// <param name="Details">Facts about the launch.</param>
public sealed record TaskLaunchedEvent(DateTimeOffset Timestamp, int ProcessId, IReadOnlyDictionary<string, string> Details)
    : TaskEvent(Timestamp)
{
    /// <inheritdoc />
    public override string Name => HookEvents.Launched;
}

/// <summary>A line the task wrote to standard output or error, or sent as <c>TASK_LOG</c>.</summary>
/// <param name="Timestamp">When it arrived.</param>
/// <param name="Source">Where it came from.</param>
/// <param name="Text">The line, without its line break.</param>
/// <param name="Rank">The sender's rank, when known.</param>
public sealed record LogLineEvent(DateTimeOffset Timestamp, LogSource Source, string Text, int? Rank) : TaskEvent(Timestamp)
{
    /// <inheritdoc />
    public override string Name => HookEvents.Log;
}

/// <summary>A structured message from the task (any signal but <c>TASK_LOG</c>).</summary>
/// <param name="Timestamp">When it arrived.</param>
/// <param name="Message">The message.</param>
public sealed record TaskMessageEvent(DateTimeOffset Timestamp, TaskMessage Message) : TaskEvent(Timestamp)
{
    /// <inheritdoc />
    public override string Name => HookEvents.ForSignal(Message.Signal);
}

/// <summary>The task was stopped or continued by the runner.</summary>
/// <param name="Timestamp">When it happened.</param>
/// <param name="Status">The new status: <see cref="RunStatus.Stopped"/> or <see cref="RunStatus.Running"/>.</param>
/// <param name="Reason">Who asked, in words.</param>
public sealed record TaskStatusEvent(DateTimeOffset Timestamp, RunStatus Status, string? Reason) : TaskEvent(Timestamp)
{
    /// <inheritdoc />
    public override string Name => Status == RunStatus.Stopped ? HookEvents.Stopped : HookEvents.Continued;
}

/// <summary>The task's process has exited.</summary>
/// <param name="Timestamp">When it happened.</param>
/// <param name="Exit">How it ended.</param>
public sealed record ProcessExitedEvent(DateTimeOffset Timestamp, ProcessExit Exit) : TaskEvent(Timestamp)
{
    /// <inheritdoc />
    public override string Name => HookEvents.Exited;
}

/// <summary>The run has its final outcome. Its name is the outcome: done, failed, cancelled or timed_out.</summary>
/// <param name="Timestamp">When it happened.</param>
/// <param name="Result">The outcome.</param>
public sealed record RunEndedEvent(DateTimeOffset Timestamp, RunResult Result) : TaskEvent(Timestamp)
{
    /// <inheritdoc />
    public override string Name => Result.Status switch
    {
        RunStatus.Completed => HookEvents.Done,
        RunStatus.Cancelled => HookEvents.Cancelled,
        RunStatus.TimedOut => HookEvents.TimedOut,
        _ => HookEvents.Failed,
    };
}
