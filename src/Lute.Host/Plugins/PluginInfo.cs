namespace Lute.Host.Plugins;

/// <summary>What kind of component a plugin provides.</summary>
public enum ComponentKind
{
    /// <summary>An <see cref="Lute.Contracts.IExecutor"/>.</summary>
    Executor,

    /// <summary>An <see cref="Lute.Contracts.IHook"/> or <see cref="Lute.Contracts.IRequestHandler"/>.</summary>
    Hook,

    /// <summary>An <see cref="Lute.Contracts.ITasklet"/>.</summary>
    Tasklet,

    /// <summary>An <see cref="Lute.Contracts.ICommunicator"/>.</summary>
    Communicator,
}

/// <summary>A component a plugin provides.</summary>
/// <param name="Name">The name users write in YAML.</param>
/// <param name="Kind">What it is.</param>
/// <param name="Type">Its implementation type.</param>
/// <param name="Description">What it does.</param>
/// <param name="Plugin">The plugin that provides it.</param>
public sealed record ComponentInfo(string Name, ComponentKind Kind, Type Type, string? Description, string Plugin);

/// <summary>A plugin found in the plugin directory, loaded or not.</summary>
public sealed record PluginInfo
{
    /// <summary>The plugin's folder name.</summary>
    public required string Name { get; init; }

    /// <summary>The plugin's folder.</summary>
    public required string Directory { get; init; }

    /// <summary>The plugin's assembly version, if it could be read.</summary>
    public string? Version { get; init; }

    /// <summary>The contract version the plugin was built against, if it could be read.</summary>
    public string? ContractVersion { get; init; }

    /// <summary>The SHA-256 of its main assembly.</summary>
    public string? Sha256 { get; init; }

    /// <summary>True when the plugin is loaded and its components can be used.</summary>
    public bool Loaded => Error is null && !Disabled && !Deferred;

    /// <summary>Found and checked, but not loaded: the run needs none of its components.</summary>
    public bool Deferred { get; init; }

    /// <summary>True when plugins.yaml disables it.</summary>
    public bool Disabled { get; init; }

    /// <summary>Why it did not load, if it did not.</summary>
    public string? Error { get; init; }

    /// <summary>Problems with single components of a loaded plugin (for example a name another plugin claims).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>What it provides.</summary>
    public IReadOnlyList<ComponentInfo> Components { get; init; } = [];
}
