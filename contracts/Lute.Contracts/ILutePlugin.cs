using Microsoft.Extensions.DependencyInjection;

namespace Lute.Contracts;

/// <summary>
/// Optional registration entry point of a plugin. Components marked with <see cref="LuteComponentAttribute"/> are
/// found by scanning the plugin's assembly; implement this interface only to register extra services that those
/// components take in their constructors.
/// </summary>
public interface ILutePlugin
{
    /// <summary>Registers the plugin's own services.</summary>
    /// <param name="services">The host's service collection.</param>
    /// <param name="settings">The plugin's settings from plugins.yaml.</param>
    void ConfigureServices(IServiceCollection services, PluginSettings settings);
}
