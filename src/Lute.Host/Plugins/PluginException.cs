using Lute.Contracts;

namespace Lute.Host.Plugins;

/// <summary>A plugin or one of its components is missing or cannot be used. The message names the plugin and the cause.</summary>
public sealed class PluginException(string message, Exception? innerException = null) : LuteException(message, innerException);
