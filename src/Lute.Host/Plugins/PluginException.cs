using Lute.Contracts;

namespace Lute.Host.Plugins;

/// <summary>A plugin or one of its components is missing or cannot be used. The message names the plugin and the cause.</summary>
public sealed class PluginException(string message, Exception? innerException = null) : LuteException(message, innerException)
{
    /// <summary>When no loaded plugin provides the component asked for: the names that are available.</summary>
    public IReadOnlyList<string>? Available { get; init; }

    /// <summary>When no loaded plugin provides the component asked for: the plugins that failed to load, or null.</summary>
    public string? FailedPlugins { get; init; }
}
