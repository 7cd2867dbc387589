namespace Lute.Contracts;

/// <summary>The event names hooks subscribe to in plugins.yaml.</summary>
public static class HookEvents
{
    /// <summary>Every event.</summary>
    public const string Any = "*";

    /// <summary>The runner has recorded the run.</summary>
    public const string RunStart = "run_start";

    /// <summary>The process was launched.</summary>
    public const string Launched = "launched";

    /// <summary>The task sent <c>TASK_STARTED</c>.</summary>
    public const string Started = "started";

    /// <summary>A log line (standard output, standard error or <c>TASK_LOG</c>).</summary>
    public const string Log = "log";

    /// <summary>The task sent <c>TASK_RESULT</c>.</summary>
    public const string Result = "result";

    /// <summary>The task sent <c>TASK_METADATA</c>.</summary>
    public const string Metadata = "metadata";

    /// <summary>The task sent <c>TASK_REQUEST</c>.</summary>
    public const string Request = "request";

    /// <summary>The task sent <c>TASK_DONE</c>.</summary>
    public const string TaskDone = "task_done";

    /// <summary>The task sent <c>TASK_FAILED</c>.</summary>
    public const string TaskFailed = "task_failed";

    /// <summary>The task sent <c>TASK_CANCELLED</c>.</summary>
    public const string TaskCancelled = "task_cancelled";

    /// <summary>The task sent <c>TASK_STOPPED</c>.</summary>
    public const string TaskStopped = "task_stopped";

    /// <summary>A message with a signal this version does not define.</summary>
    public const string Message = "message";

    /// <summary>The runner stopped the task.</summary>
    public const string Stopped = "stopped";

    /// <summary>The runner continued the task.</summary>
    public const string Continued = "continued";

    /// <summary>The process exited.</summary>
    public const string Exited = "exited";

    /// <summary>Outcome: completed.</summary>
    public const string Done = "done";

    /// <summary>Outcome: failed.</summary>
    public const string Failed = "failed";

    /// <summary>Outcome: cancelled.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>Outcome: timed out.</summary>
    public const string TimedOut = "timed_out";

    /// <summary>Any outcome: subscribing to it is the same as subscribing to done, failed, cancelled and timed_out.</summary>
    public const string RunEnd = "run_end";

    /// <summary>Every name a subscription may use.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Any, RunStart, Launched, Started, Log, Result, Metadata, Request, TaskDone, TaskFailed, TaskCancelled,
        TaskStopped, Message, Stopped, Continued, Exited, Done, Failed, Cancelled, TimedOut, RunEnd,
    ];

    /// <summary>The event name of a structured message's signal.</summary>
    /// <param name="signal">A signal such as <c>TASK_RESULT</c>.</param>
    public static string ForSignal(string signal) => signal switch
    {
        TaskSignals.Started => Started,
        TaskSignals.Log => Log,
        TaskSignals.Result => Result,
        TaskSignals.Metadata => Metadata,
        TaskSignals.Request => Request,
        TaskSignals.Done => TaskDone,
        TaskSignals.Failed => TaskFailed,
        TaskSignals.Cancelled => TaskCancelled,
        TaskSignals.Stopped => TaskStopped,
        _ => Message,
    };
}
