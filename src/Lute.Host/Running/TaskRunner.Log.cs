using Lute.Contracts;
using Microsoft.Extensions.Logging;

namespace Lute.Host.Running;

/// <summary>The runner's log lines.</summary>
public sealed partial class TaskRunner
{
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
