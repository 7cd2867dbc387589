using Lute.Contracts;
using Lute.Host.Configuration;
using Lute.Host.Plugins;
using Lute.Host.Protocol;

namespace Lute.Cli.Json;

/// <summary><c>lute plugins --json</c>: every plugin found, what it provides, and the built-in components.</summary>
internal static class PluginsJson
{
    public static void Print(HostConfiguration config, PluginHost host) => CliJson.Print("plugins", writer =>
    {
        writer.WriteString("plugin_directory", config.PluginDirectory);
        CliJson.Text(writer, "directory_problem", host.DirectoryProblem);
        writer.WriteString("contracts", ContractVersion.Text);
        writer.WriteString("default_executor", config.DefaultExecutor);
        CliJson.Text(writer, "configuration", config.SourcePath);
        writer.WriteStartArray("built_in");
        foreach (var (name, description) in CommunicatorSettings.BuiltIn)
        {
            writer.WriteStartObject();
            writer.WriteString("kind", "communicator");
            writer.WriteString("name", name);
            writer.WriteString("description", description);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("plugins");
        foreach (var plugin in host.Plugins)
        {
            writer.WriteStartObject();
            writer.WriteString("name", plugin.Name);
            writer.WriteString("directory", plugin.Directory);
            CliJson.Text(writer, "version", plugin.Version);
            CliJson.Text(writer, "contracts", plugin.ContractVersion);
            writer.WriteString("state", plugin.Disabled ? "disabled" : plugin.Loaded ? "loaded" : plugin.Deferred ? "deferred" : "failed");
            CliJson.Text(writer, "error", plugin.Error);
            CliJson.Text(writer, "sha256", plugin.Sha256);
            writer.WriteStartArray("components");
            foreach (var component in plugin.Components.OrderBy(c => c.Kind).ThenBy(c => c.Name, StringComparer.Ordinal))
            {
                writer.WriteStartObject();
                writer.WriteString("kind", component.Kind.ToString().ToLowerInvariant());
                writer.WriteString("name", component.Name);
                CliJson.Text(writer, "description", component.Description);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            CliJson.List(writer, "warnings", plugin.Warnings);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    });
}
