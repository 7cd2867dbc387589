using System.Reflection;
using System.Text.Json;
using Lute.Host.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lute.Host.Plugins;

/// <summary>
/// Checks one plugin folder the way a run loads it (<c>lute plugins verify DIR</c>): the plugin is loaded from a
/// plugin directory of its own with this configuration's entries (pins, settings), and its folder is compared with
/// its deps.json and with lute's own assemblies.
/// </summary>
internal static class PluginVerifier
{
    /// <summary>Verifies <paramref name="folder"/>.</summary>
    /// <param name="folder">The plugin's folder (its name is its main assembly's).</param>
    /// <param name="config">The configuration a run would use.</param>
    /// <param name="hostDirectory">lute's own folder (its assemblies are the shared ones).</param>
    /// <exception cref="InputException">The folder does not exist or holds no main assembly named after it.</exception>
    public static PluginVerification Verify(string folder, HostConfiguration config, string hostDirectory)
    {
        var full = Path.GetFullPath(folder).TrimEnd('/');
        var name = Path.GetFileName(full);
        var main = Path.Combine(full, name + ".dll");
        if (!File.Exists(main))
        {
            throw new InputException($"{full} is not a plugin folder: it has no {name}.dll (the folder's name must be its main assembly's)");
        }

        var scratch = Directory.CreateTempSubdirectory("lute-verify-");
        try
        {
            Directory.CreateSymbolicLink(Path.Combine(scratch.FullName, name), full);
            // Only this plugin's entry of plugins.yaml (its pin, settings, enabled) applies.
            var own = config.Plugins.Where(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
            using var host = PluginHost.Load(config with { PluginDirectory = scratch.FullName, Plugins = own }, NullLoggerFactory.Instance);
            var plugin = host.Plugins.Single(p => p.Name == name) with { Directory = full };
            var overlaps = Overlaps(full, hostDirectory);
            var missing = MissingDependencies(full, name, hostDirectory, out var depsProblem);
            var problems = new List<string>();
            if (plugin.Error is not null)
            {
                problems.Add(plugin.Error);
            }

            problems.AddRange(missing.Select(m => $"{m} is listed in {name}.deps.json but is neither in the folder nor lute's; build the plugin into its folder again (dotnet build -p:LutePluginDirectory=DIR)"));
            problems.AddRange(overlaps.Where(o => o.Shared && o.File == "Lute.Contracts.dll").Select(_ =>
                "the folder holds a copy of Lute.Contracts.dll: reference the package with ExcludeAssets=\"runtime\" so that lute's contracts are used"));
            problems.AddRange(overlaps.Where(o => o.Shared && o.File != "Lute.Contracts.dll" && o.PluginVersion > o.HostVersion).Select(o =>
                $"{o.File} {o.PluginVersion} is newer than lute's {o.HostVersion}, and lute's copy is the one used; build against version {o.HostVersion} or older"));
            if (plugin.Error is null && plugin.Components.Count == 0)
            {
                problems.Add("it provides no component: mark executors, hooks, tasklets and communicators with [LuteComponent(\"name\")]");
            }

            // The settings a run starts from: the plugin's plugin.yaml under its plugins.yaml entry's.
            var settings = PluginDefaults.Merge(full, own.FirstOrDefault()?.Settings ?? Lute.Contracts.PluginSettings.Empty);
            return new PluginVerification(plugin, PluginInspector.Sha256(main), missing, overlaps, problems, depsProblem)
            {
                Settings = settings.Values,
                Schemas = plugin.Components.ToDictionary(c => c, c => c.Type.GetCustomAttribute<Lute.Contracts.LuteComponentAttribute>()?.Settings is { } type ? SettingsSchema.Describe(type) : null),
            };
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    /// <summary>The plugin's assemblies that lute has too: shared ones (lute's copy is used) and private ones.</summary>
    private static List<AssemblyOverlap> Overlaps(string folder, string hostDirectory)
    {
        // The loader shares the shared types' assemblies and their direct references (PluginHost).
        var shared = PluginHost.SharedTypes.Select(t => t.Assembly)
            .SelectMany(a => a.GetReferencedAssemblies().Append(a.GetName()))
            .Select(n => n.Name + ".dll")
            .ToHashSet(StringComparer.Ordinal);
        var overlaps = new List<AssemblyOverlap>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.dll").Order(StringComparer.Ordinal))
        {
            var hostFile = Path.Combine(hostDirectory, Path.GetFileName(file));
            if (File.Exists(hostFile) && VersionOf(file) is { } mine && VersionOf(hostFile) is { } lutes)
            {
                overlaps.Add(new AssemblyOverlap(Path.GetFileName(file), mine, lutes, shared.Contains(Path.GetFileName(file))));
            }
        }

        return overlaps;
    }

    /// <summary>The runtime assemblies the plugin's deps.json names that are neither in its folder nor lute's.</summary>
    private static List<string> MissingDependencies(string folder, string name, string hostDirectory, out string? problem)
    {
        problem = null;
        var deps = Path.Combine(folder, name + ".deps.json");
        if (!File.Exists(deps))
        {
            problem = $"no {name}.deps.json: its dependencies cannot be checked (build it with EnableDynamicLoading)";
            return [];
        }

        using var document = JsonDocument.Parse(File.ReadAllText(deps));
        if (!document.RootElement.TryGetProperty("targets", out var targets) || targets.EnumerateObject().FirstOrDefault() is not { Value.ValueKind: JsonValueKind.Object } target)
        {
            problem = $"{name}.deps.json lists no target";
            return [];
        }

        var missing = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var library in target.Value.EnumerateObject())
        {
            if (!library.Value.TryGetProperty("runtime", out var runtime))
            {
                continue;
            }

            foreach (var asset in runtime.EnumerateObject())
            {
                var file = Path.GetFileName(asset.Name);
                if (!File.Exists(Path.Combine(folder, file)) && !File.Exists(Path.Combine(hostDirectory, file)))
                {
                    missing.Add(file);
                }
            }
        }

        return [.. missing];
    }

    private static Version? VersionOf(string path)
    {
        try
        {
            return AssemblyName.GetAssemblyName(path).Version;
        }
        catch (BadImageFormatException)
        {
            return null; // a native library with a .dll name
        }
    }
}

/// <summary>What <see cref="PluginVerifier"/> found.</summary>
/// <param name="Plugin">The plugin as a run loads it (version, contract version, components, or why it failed).</param>
/// <param name="Sha256">The SHA-256 of its main assembly, to pin it in plugins.yaml.</param>
/// <param name="Missing">Runtime assemblies its deps.json names that are not there.</param>
/// <param name="Overlaps">Its assemblies that lute has too.</param>
/// <param name="Problems">What makes it fail verification; empty when it passes.</param>
/// <param name="Note">Something that could not be checked, if anything.</param>
internal sealed record PluginVerification(
    PluginInfo Plugin, string Sha256, IReadOnlyList<string> Missing, IReadOnlyList<AssemblyOverlap> Overlaps, IReadOnlyList<string> Problems, string? Note)
{
    /// <summary>True when nothing is wrong.</summary>
    public bool Passed => Problems.Count == 0;

    /// <summary>The plugin's settings as a run starts from them: its plugin.yaml defaults, under plugins.yaml's.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>Each component's declared settings (contracts 1.3), or null when it declares none.</summary>
    public IReadOnlyDictionary<ComponentInfo, IReadOnlyList<SettingField>?> Schemas { get; init; } = new Dictionary<ComponentInfo, IReadOnlyList<SettingField>?>();
}

/// <summary>An assembly both the plugin and lute have.</summary>
/// <param name="File">Its file name.</param>
/// <param name="PluginVersion">The plugin's copy's version.</param>
/// <param name="HostVersion">lute's copy's version.</param>
/// <param name="Shared">True when lute shares its copy with plugins (the plugin's is not used).</param>
internal sealed record AssemblyOverlap(string File, Version PluginVersion, Version HostVersion, bool Shared);
