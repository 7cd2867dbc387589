using Lute.Contracts;

namespace Lute.Host.Plugins;

/// <summary>Where the runner finds the components a task names: the plugin host, or a test's own set.</summary>
internal interface IComponentSource
{
    /// <summary>Why no plugin could be looked for at all (the plugin directory is missing), or null.</summary>
    string? DirectoryProblem { get; }

    /// <summary>The settings plugins.yaml gives the plugin that provides a component (empty when there is none).</summary>
    /// <param name="kind">The component's kind.</param>
    /// <param name="name">The component's name.</param>
    PluginSettings Settings(ComponentKind kind, string name);

    /// <summary>Creates the named component.</summary>
    /// <typeparam name="T">The component's interface.</typeparam>
    /// <param name="kind">Its kind.</param>
    /// <param name="name">Its name.</param>
    /// <param name="settings">Settings for this instance, or null for its plugin's.</param>
    /// <exception cref="PluginException">No plugin provides it (with <see cref="PluginException.Available"/>), or it could not be created.</exception>
    (T Component, PluginSettings Settings, ComponentInfo Info) Create<T>(ComponentKind kind, string name, PluginSettings? settings = null)
        where T : class;
}
