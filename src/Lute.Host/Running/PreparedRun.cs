using Lute.Contracts;
using Lute.Host.Configuration;
using Lute.Host.Protocol;

namespace Lute.Host.Running;

/// <summary>
/// A task with every reference rendered and every component found: what the runner launches. Immutable: what the
/// communicators add to the environment is composed into a new <see cref="LaunchEnvironment"/>, never written here.
/// </summary>
internal sealed record PreparedRun
{
    public required TaskFile File { get; init; }

    public required TaskDefinition Task { get; init; }

    public required string ExecutorName { get; init; }

    public required IExecutor Executor { get; init; }

    public required PluginSettings ExecutorSettings { get; init; }

    /// <summary>The structured-message transport the executor's settings choose.</summary>
    public required CommunicatorSettings Communication { get; init; }

    /// <summary>The communicator a plugin provides, when the settings name one (else a built-in is used).</summary>
    public PluginCommunicator? PluginCommunicator { get; init; }

    /// <summary>Whose settings those are, in words, for error messages.</summary>
    public required string SettingsOwner { get; init; }

    public required IReadOnlyDictionary<string, string> Parameters { get; init; }

    public required IReadOnlyList<string> Command { get; init; }

    public required string WorkingDirectory { get; init; }

    public required IReadOnlyDictionary<string, string> Resources { get; init; }

    /// <summary>The task's environment as prepared (the runner's, with the task's changes), before the communicators'.</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    /// <summary>The runner's own environment.</summary>
    public required IReadOnlyDictionary<string, string> BaseEnvironment { get; init; }

    /// <summary>What the task's environment changes from the runner's, as recorded when the run starts.</summary>
    public required IReadOnlyDictionary<string, string?> EnvironmentChanges { get; init; }

    public string? Result { get; init; }

    public TimeSpan? Timeout { get; init; }

    public required TimeSpan GracePeriod { get; init; }

    public required IReadOnlyList<PreparedTasklet> Before { get; init; }

    public required IReadOnlyList<PreparedTasklet> After { get; init; }

    public required IReadOnlyList<(HookBinding Binding, object Component, PluginSettings Settings)> Hooks { get; init; }

    /// <summary>Hides the secrets of the task's environment in what is logged or recorded.</summary>
    public required Environment.SecretRedactor Redactor { get; init; }
}

/// <summary>A communicator a plugin provides, with its plugin's settings.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Communicator">The component.</param>
/// <param name="Settings">Its plugin's settings.</param>
internal sealed record PluginCommunicator(string Name, ICommunicator Communicator, PluginSettings Settings);

/// <summary>The executor a task runs with, and what its plugin's settings say.</summary>
/// <param name="Name">The executor's name.</param>
/// <param name="Executor">The component.</param>
/// <param name="Settings">Its plugin's settings.</param>
/// <param name="Communication">The communicator those settings choose.</param>
/// <param name="Entry">Its plugin's entry in plugins.yaml, if it has one.</param>
/// <param name="Owner">Whose settings those are, in words, for error messages.</param>
internal sealed record ExecutorChoice(string Name, IExecutor Executor, PluginSettings Settings, CommunicatorSettings Communication, PluginEntry? Entry, string Owner);

/// <summary>A task's templated values, rendered.</summary>
internal sealed record RenderedTask(
    string Folder,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyList<string> Command,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string> Resources,
    string? Result,
    IReadOnlyList<PreparedTasklet> Before,
    IReadOnlyList<PreparedTasklet> After);
