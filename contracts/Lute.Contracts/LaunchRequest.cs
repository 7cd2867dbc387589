namespace Lute.Contracts;

/// <summary>Everything an executor needs to start a task's process.</summary>
public sealed record LaunchRequest
{
    /// <summary>The run this launch belongs to.</summary>
    public required RunInfo Run { get; init; }

    /// <summary>The program and its arguments, already rendered; never split or joined by a shell.</summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>The working directory of the process.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>The complete environment of the process (nothing is inherited beyond it).</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    /// <summary>Resource requests from the task file (ranks, nodes, memory...); executors reject keys they do not know.</summary>
    public IReadOnlyDictionary<string, string> Resources { get; init; } = new Dictionary<string, string>();

    /// <summary>What the process reads on standard input.</summary>
    public StandardInputMode StandardInput { get; init; } = StandardInputMode.Closed;

    /// <summary>When true the executor keeps one CPU for itself and gives the task the rest, as LUTE does.</summary>
    public bool CpuAffinity { get; init; }

    /// <summary>The settings of the plugin that provides the executor, from plugins.yaml.</summary>
    public PluginSettings Settings { get; init; } = PluginSettings.Empty;
}
