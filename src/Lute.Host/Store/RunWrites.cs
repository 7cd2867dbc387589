using System.Text.Json;
using Lute.Contracts;

namespace Lute.Host.Store;

/// <summary>What is recorded when a run starts (before its task is launched). Secrets are already masked.</summary>
public sealed record NewRun
{
    /// <summary>The task's base name (<c>Index</c> for <c>Index_01</c>), as LUTE stores it.</summary>
    public required string Task { get; init; }

    /// <summary>The task's name as given, when it differs from <see cref="Task"/>.</summary>
    public string? TaskFullName { get; init; }

    /// <summary>The task's <c>description:</c>.</summary>
    public string? Description { get; init; }

    /// <summary>The task file.</summary>
    public string? TaskFile { get; init; }

    /// <summary>The executor's name.</summary>
    public required string Executor { get; init; }

    /// <summary>The experiment.</summary>
    public string? Experiment { get; init; }

    /// <summary>The experiment's run.</summary>
    public string? ExperimentRun { get; init; }

    /// <summary>When the run started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>The runner's host.</summary>
    public required string Host { get; init; }

    /// <summary>The runner's process id.</summary>
    public required int RunnerPid { get; init; }

    /// <summary>The command.</summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>The rendered parameters.</summary>
    public required IReadOnlyDictionary<string, string> Parameters { get; init; }

    /// <summary>The changes to the runner's environment (a null value: the variable is unset for the task).</summary>
    public required IReadOnlyDictionary<string, string?> Environment { get; init; }

    /// <summary>The working directory.</summary>
    public string? WorkDirectory { get; init; }
}

/// <summary>What is recorded when the task is launched.</summary>
public sealed record LaunchedRun
{
    /// <summary>The launched process's id.</summary>
    public int? TaskPid { get; init; }

    /// <summary>The executor's facts about the launch.</summary>
    public required IReadOnlyDictionary<string, string> Details { get; init; }

    /// <summary>The communicators, described.</summary>
    public required IReadOnlyList<string> Communicators { get; init; }

    /// <summary>The run's log file.</summary>
    public string? LogPath { get; init; }

    /// <summary>The environment changes again, now with what the communicators added.</summary>
    public required IReadOnlyDictionary<string, string?> Environment { get; init; }
}

/// <summary>What is recorded when the run ends.</summary>
public sealed record FinishedRun
{
    /// <summary>The final status.</summary>
    public required RunStatus Status { get; init; }

    /// <summary>The exit code.</summary>
    public int? ExitCode { get; init; }

    /// <summary>The signal that ended the process.</summary>
    public int? Signal { get; init; }

    /// <summary>Why it ended so.</summary>
    public string? Reason { get; init; }

    /// <summary>True when the launch failed.</summary>
    public bool LaunchFailed { get; init; }

    /// <summary>When it ended.</summary>
    public required DateTimeOffset EndedAt { get; init; }

    /// <summary>The summary (empty: none).</summary>
    public IReadOnlyDictionary<string, string> Summary { get; init; } = new Dictionary<string, string>();

    /// <summary>The result payload.</summary>
    public JsonElement? Payload { get; init; }

    /// <summary>Metadata the task sent (empty: none).</summary>
    public IReadOnlyDictionary<string, JsonElement> Metadata { get; init; } = new Dictionary<string, JsonElement>();

    /// <summary>The executor's facts about the launch, as they stand at the end (empty: keep those recorded at launch).</summary>
    public IReadOnlyDictionary<string, string> Details { get; init; } = new Dictionary<string, string>();

    /// <summary>The run's log file (null: keep the one recorded at launch).</summary>
    public string? LogPath { get; init; }

    /// <summary>The run's HTML report.</summary>
    public string? ReportPath { get; init; }

    /// <summary>Requests hooks could not deliver.</summary>
    public IReadOnlyList<UndeliveredEntry> Undelivered { get; init; } = [];

    /// <summary>Hook calls that threw or exceeded their time limit.</summary>
    public IReadOnlyList<HookErrorEntry> HookErrors { get; init; } = [];
}
