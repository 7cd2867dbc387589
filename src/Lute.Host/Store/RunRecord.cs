using System.Text.Json;
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

    /// <summary>The command.</summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>The rendered parameters.</summary>
    public required IReadOnlyDictionary<string, string> Parameters { get; init; }

    /// <summary>The environment changes (a null value means unset).</summary>
    public required IReadOnlyDictionary<string, string?> Environment { get; init; }

    /// <summary>The summary (empty: none).</summary>
    public IReadOnlyDictionary<string, string> Summary { get; init; } = new Dictionary<string, string>();

    /// <summary>The result payload, if the run has one.</summary>
    public JsonElement? Payload { get; init; }

    /// <summary>Metadata from the task (empty: none).</summary>
    public IReadOnlyDictionary<string, JsonElement> Metadata { get; init; } = new Dictionary<string, JsonElement>();

    /// <summary>The executor's facts about the launch (empty: none).</summary>
    public IReadOnlyDictionary<string, string> Details { get; init; } = new Dictionary<string, string>();

    /// <summary>The communicators, described (empty: the task was never launched).</summary>
    public IReadOnlyList<string> Communicators { get; init; } = [];

    /// <summary>The run's log file.</summary>
    public string? LogPath { get; init; }

    /// <summary>The working directory.</summary>
    public string? WorkDirectory { get; init; }

    /// <summary>The run's HTML report, if the task sent figures or fragments.</summary>
    public string? ReportPath { get; init; }

    /// <summary>Requests hooks could not deliver.</summary>
    public IReadOnlyList<UndeliveredEntry> Undelivered { get; init; } = [];

    /// <summary>Hook failures (exceptions and exceeded time limits).</summary>
    public IReadOnlyList<HookErrorEntry> HookErrors { get; init; } = [];

    /// <summary>How long it took, if it ended.</summary>
    public TimeSpan? Duration => EndedAt - StartedAt;
}
