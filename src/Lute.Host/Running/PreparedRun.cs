using Lute.Contracts;
using Lute.Host.Configuration;
using Lute.Host.Protocol;

namespace Lute.Host.Running;

/// <summary>A task with every reference rendered and every component found: what the runner launches.</summary>
internal sealed record PreparedRun
{
    public required TaskFile File { get; init; }

    public required TaskDefinition Task { get; init; }

    public required string ExecutorName { get; init; }

    public required IExecutor Executor { get; init; }

    public required PluginSettings ExecutorSettings { get; init; }

    /// <summary>The structured-message transport the executor's settings choose.</summary>
    public required CommunicatorSettings Communication { get; init; }

    /// <summary>Whose settings those are, in words, for error messages.</summary>
    public required string SettingsOwner { get; init; }

    public required IReadOnlyDictionary<string, string> Parameters { get; init; }

    public required IReadOnlyList<string> Command { get; init; }

    public required string WorkingDirectory { get; init; }

    public required IReadOnlyDictionary<string, string> Resources { get; init; }

    public required Dictionary<string, string> Environment { get; init; }

    public required IReadOnlyDictionary<string, string> BaseEnvironment { get; init; }

    public string? Result { get; init; }

    public TimeSpan? Timeout { get; init; }

    public required TimeSpan GracePeriod { get; init; }

    public required IReadOnlyList<PreparedTasklet> Before { get; init; }

    public required IReadOnlyList<PreparedTasklet> After { get; init; }

    public required IReadOnlyList<(HookBinding Binding, object Component, PluginSettings Settings)> Hooks { get; init; }

    /// <summary>Hides the secrets of the task's environment in what is logged or recorded.</summary>
    public required Environment.SecretRedactor Redactor { get; init; }
}
