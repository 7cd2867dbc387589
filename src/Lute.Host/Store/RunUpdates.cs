using Lute.Contracts;

namespace Lute.Host.Store;

/// <summary>What the store records when a run starts. JSON columns are given as JSON text.</summary>
public sealed record NewRun
{
    /// <summary>The task's name.</summary>
    public required string Task { get; init; }

    /// <summary>The task's name as the task file gives it, when it differs from <see cref="Task"/> (a copy such as <c>Index_01</c>).</summary>
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

    /// <summary>The command (JSON list).</summary>
    public required string Command { get; init; }

    /// <summary>The rendered parameters (JSON map).</summary>
    public required string Parameters { get; init; }

    /// <summary>The environment changes (JSON map).</summary>
    public required string Environment { get; init; }

    /// <summary>The working directory.</summary>
    public string? WorkDirectory { get; init; }
}

/// <summary>What the store records at launch.</summary>
/// <param name="TaskPid">The launched process's id.</param>
/// <param name="Details">Launch details (JSON map).</param>
/// <param name="Communicators">The communicators (JSON list).</param>
/// <param name="LogPath">The run's log file.</param>
/// <param name="Environment">The environment changes (JSON map), including what the communicators added.</param>
public sealed record RunningUpdate(int? TaskPid, string? Details, string? Communicators, string? LogPath, string Environment);

/// <summary>What the store records at the end.</summary>
public sealed record FinalUpdate
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

    /// <summary>The summary (JSON map).</summary>
    public string? Summary { get; init; }

    /// <summary>The payload (JSON).</summary>
    public string? Payload { get; init; }

    /// <summary>Metadata (JSON map).</summary>
    public string? Metadata { get; init; }

    /// <summary>Launch details (JSON map).</summary>
    public string? Details { get; init; }

    /// <summary>The run's log file.</summary>
    public string? LogPath { get; init; }

    /// <summary>The run's HTML report.</summary>
    public string? ReportPath { get; init; }

    /// <summary>Requests hooks could not deliver (JSON list).</summary>
    public string? Undelivered { get; init; }

    /// <summary>Hook failures (JSON list).</summary>
    public string? HookErrors { get; init; }
}
