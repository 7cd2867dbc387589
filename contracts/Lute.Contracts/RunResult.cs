using System.Text.Json;

namespace Lute.Contracts;

/// <summary>The recorded outcome of a run.</summary>
public sealed record RunResult
{
    /// <summary>The run this result belongs to.</summary>
    public required RunInfo Run { get; init; }

    /// <summary>The final status.</summary>
    public required RunStatus Status { get; init; }

    /// <summary>The process's exit code, when it exited by itself.</summary>
    public int? ExitCode { get; init; }

    /// <summary>The signal that ended the process, when one did.</summary>
    public int? Signal { get; init; }

    /// <summary>Why the run ended as it did, in words, when that is not plain success.</summary>
    public string? Reason { get; init; }

    /// <summary>True when the engine failed to launch the task (as opposed to the task failing).</summary>
    public bool LaunchFailed { get; init; }

    /// <summary>When the run started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When the run ended.</summary>
    public required DateTimeOffset EndedAt { get; init; }

    /// <summary>The summary: key/value pairs from the task, tasklets and hooks.</summary>
    public IReadOnlyDictionary<string, string> Summary { get; init; } = new Dictionary<string, string>();

    /// <summary>The result payload sent by the task or a tasklet, if any.</summary>
    public JsonElement? Payload { get; init; }

    /// <summary>Facts about the launch (process group, job ids).</summary>
    public IReadOnlyDictionary<string, string> Details { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The run's HTML report (figures and fragments the task sent, with its summary), when the task sent any
    /// (since contracts 1.1).
    /// </summary>
    public string? ReportPath { get; init; }

    /// <summary>How long the run took.</summary>
    public TimeSpan Duration => EndedAt - StartedAt;
}
