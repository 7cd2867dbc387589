namespace Lute.Contracts;

/// <summary>Where a log line came from.</summary>
public enum LogSource
{
    /// <summary>The task's standard output.</summary>
    StandardOutput,

    /// <summary>The task's standard error.</summary>
    StandardError,

    /// <summary>A <c>TASK_LOG</c> message.</summary>
    Message,

    /// <summary>The runner itself.</summary>
    Runner,
}
