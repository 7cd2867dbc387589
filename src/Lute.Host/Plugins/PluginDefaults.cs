using Lute.Contracts;
using Lute.Host.Configuration;

namespace Lute.Host.Plugins;

/// <summary>
/// The default settings a plugin ships in <c>plugin.yaml</c> beside its main assembly (<c>settings:</c>, a map),
/// so that it works without configuration; the plugin's entry in plugins.yaml overrides them key by key.
/// </summary>
internal static class PluginDefaults
{
    public const string FileName = "plugin.yaml";

    /// <exception cref="ConfigurationException">The file is not valid YAML or not of the expected shape.</exception>
    public static PluginSettings Merge(string folder, PluginSettings configured)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            return configured;
        }

        var (yaml, root) = YamlNodes.Load(path, YamlNodes.ReadFile(path, "plugin defaults"));
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (root is not null && !yaml.IsNull(root))
        {
            foreach (var (key, _, value) in yaml.Entries(yaml.Mapping(root, FileName), FileName, ["settings"]))
            {
                if (key == "settings")
                {
                    foreach (var (name, setting) in yaml.Flatten(value, "'settings'"))
                    {
                        values[name] = setting;
                    }
                }
            }
        }

        // A list in plugins.yaml replaces the default list as a whole, not item by item.
        foreach (var key in configured.Values.Keys.Select(k => k.Split(':')[0]).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            foreach (var stale in values.Keys.Where(k => k.Equals(key, StringComparison.OrdinalIgnoreCase) || k.StartsWith(key + ":", StringComparison.OrdinalIgnoreCase)).ToList())
            {
                values.Remove(stale);
            }
        }

        foreach (var (key, value) in configured.Values)
        {
            values[key] = value;
        }

        return new PluginSettings(values);
    }
}
