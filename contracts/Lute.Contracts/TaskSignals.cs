namespace Lute.Contracts;

/// <summary>The signals of the task protocol (version 1).</summary>
public static class TaskSignals
{
    /// <summary>The task has started its work.</summary>
    public const string Started = "TASK_STARTED";

    /// <summary>A log line; becomes a log event like a line of standard output.</summary>
    public const string Log = "TASK_LOG";

    /// <summary>The task's result: a payload and/or a summary.</summary>
    public const string Result = "TASK_RESULT";

    /// <summary>The task says it has finished successfully.</summary>
    public const string Done = "TASK_DONE";

    /// <summary>The task says it has failed.</summary>
    public const string Failed = "TASK_FAILED";

    /// <summary>The task says it has cancelled its work.</summary>
    public const string Cancelled = "TASK_CANCELLED";

    /// <summary>The task says it is about to stop itself.</summary>
    public const string Stopped = "TASK_STOPPED";

    /// <summary>The task asks a question; a reply travels back on the same connection.</summary>
    public const string Request = "TASK_REQUEST";

    /// <summary>Key/value metadata to record with the run.</summary>
    public const string Metadata = "TASK_METADATA";

    /// <summary>Every signal of protocol version 1.</summary>
    public static IReadOnlyList<string> All { get; } =
        [Started, Log, Result, Done, Failed, Cancelled, Stopped, Request, Metadata];
}
