using Lute.Contracts;

namespace Lute.Host.Store;

/// <summary>One run as the result store holds it.</summary>
public sealed record RunRecord
{
    /// <summary>The run's id.</summary>
    public required long Id { get; init; }

    /// <summary>The task's name.</summary>
    public required string Task { get; init; }

    /// <summary>The task's name as given, when it differs from the stored base name <see cref="Task"/> (<c>Index_01</c>).</summary>
    public string? TaskFullName { get; init; }

    /// <summary>The task's <c>description:</c>.</summary>
    public string? Description { get; init; }

    /// <summary>The last time the runner was known alive: its last write to the store or to the run's log.</summary>
    public DateTimeOffset? LastSeenAt { get; init; }

    /// <summary>The task's name as the task file gives it.</summary>
    public string DisplayName => TaskFullName ?? Task;

    /// <summary>The task file.</summary>
    public string? TaskFile { get; init; }

    /// <summary>The executor's name.</summary>
    public required string Executor { get; init; }

    /// <summary>The experiment.</summary>
    public string? Experiment { get; init; }

    /// <summary>The experiment's run.</summary>
    public string? ExperimentRun { get; init; }

    /// <summary>The status (final, or Pending/Running for a run that has not ended or died).</summary>
    public required RunStatus Status { get; init; }

    /// <summary>The exit code.</summary>
    public int? ExitCode { get; init; }

    /// <summary>The signal that ended the process.</summary>
    public int? Signal { get; init; }

    /// <summary>Why the run ended as it did.</summary>
    public string? Reason { get; init; }

    /// <summary>True when the launch failed.</summary>
    public bool LaunchFailed { get; init; }

    /// <summary>When it started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When it ended, if it did.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>The runner's host.</summary>
    public required string Host { get; init; }

    /// <summary>The runner's process id.</summary>
    public required int RunnerPid { get; init; }

    /// <summary>The task's process id.</summary>
    public int? TaskPid { get; init; }

    /// <summary>The command as JSON.</summary>
    public required string Command { get; init; }

    /// <summary>The rendered parameters as JSON.</summary>
    public required string Parameters { get; init; }

    /// <summary>The environment changes as JSON (a null value means unset).</summary>
    public required string Environment { get; init; }

    /// <summary>The summary as JSON.</summary>
    public string? Summary { get; init; }

    /// <summary>The result payload as JSON.</summary>
    public string? Payload { get; init; }

    /// <summary>Metadata from the task as JSON.</summary>
    public string? Metadata { get; init; }

    /// <summary>Launch details as JSON.</summary>
    public string? Details { get; init; }

    /// <summary>The communicators as JSON.</summary>
    public string? Communicators { get; init; }

    /// <summary>The run's log file.</summary>
    public string? LogPath { get; init; }

    /// <summary>The working directory.</summary>
    public string? WorkDirectory { get; init; }

    /// <summary>The run's HTML report, if the task sent figures or fragments.</summary>
    public string? ReportPath { get; init; }

    /// <summary>Requests hooks could not deliver, as a JSON list (see <see cref="UndeliveredPost"/>).</summary>
    public string? Undelivered { get; init; }

    /// <summary>Hook failures (exceptions and exceeded time limits), as a JSON list.</summary>
    public string? HookErrors { get; init; }

    /// <summary>How long it took, if it ended.</summary>
    public TimeSpan? Duration => EndedAt - StartedAt;
}
