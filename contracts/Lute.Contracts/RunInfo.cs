namespace Lute.Contracts;

/// <summary>What every component may know about the run it serves.</summary>
public sealed record RunInfo
{
    /// <summary>The run's id in the result store.</summary>
    public required long RunId { get; init; }

    /// <summary>The task's name in the task file.</summary>
    public required string TaskName { get; init; }

    /// <summary>The executor's name, for example <c>local</c>.</summary>
    public required string Executor { get; init; }

    /// <summary>The experiment from the task file's header, if any.</summary>
    public string? Experiment { get; init; }

    /// <summary>The run (of the experiment) from the task file's header, if any; kept as text.</summary>
    public string? ExperimentRun { get; init; }

    /// <summary>The work directory from the task file's header or the task.</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>The task's rendered parameters.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>The host name of the machine the runner runs on.</summary>
    public required string Host { get; init; }
}
