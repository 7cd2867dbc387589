using System.Reflection;
using Lute.Contracts;
using Lute.Host.Configuration;
using McMaster.NETCore.Plugins;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lute.Host.Plugins;

/// <summary>
/// Loads every plugin folder in the plugin directory into its own load context (contracts, dependency injection,
/// logging and options are shared with the host), registers each plugin's components by scanning its own assembly,
/// and creates components by name. A plugin that cannot be loaded is reported with its cause; the others still load.
/// </summary>
public sealed partial class PluginHost : IDisposable, IComponentSource
{
    internal static readonly Type[] SharedTypes =
    [
        typeof(IExecutor), typeof(IServiceCollection), typeof(ServiceProvider), typeof(ILogger), typeof(IOptions<>),
    ];

    private static readonly Type[] ComponentTypes =
        [typeof(IExecutor), typeof(IHook), typeof(IRequestHandler), typeof(ITasklet), typeof(ICommunicator)];

    private readonly List<LoadedPlugin> _loaded = [];
    private readonly Dictionary<(ComponentKind, string), (ComponentInfo Info, LoadedPlugin Plugin)> _components = new();
    private readonly Dictionary<(ComponentKind, string), List<string>> _conflicts = new();
    private readonly HostConfiguration _config;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;

    // The plugin directory is checked once, not once per plugin.
    private readonly Lazy<string?> _directoryExposed;

    private PluginHost(HostConfiguration config, ILoggerFactory loggerFactory)
    {
        _config = config;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("Lute.Plugins");
        _directoryExposed = new Lazy<string?>(() => WritableByOthers(config.PluginDirectory));
    }

    /// <summary>Why no plugin could be looked for at all (the plugin directory is missing), or null.</summary>
    public string? DirectoryProblem { get; private set; }

    /// <summary>Every plugin found, loaded or not, in folder-name order.</summary>
    public IReadOnlyList<PluginInfo> Plugins { get; private set; } = [];

    /// <summary>Every component of the loaded plugins.</summary>
    public IEnumerable<ComponentInfo> Components => _components.Values.Select(v => v.Info);

    /// <summary>Loads the plugins in the configured directory.</summary>
    /// <param name="config">The host configuration.</param>
    /// <param name="loggerFactory">The host's logging, shared with plugins.</param>
    /// <param name="needed">
    /// When given, only plugins whose metadata declares a component of one of these names are loaded now (a run needs
    /// its executor, hooks and tasklets, not every installed plugin); the others are checked (pin, contract version)
    /// but loaded only if a component is asked for that no loaded plugin provides.
    /// </param>
    public static PluginHost Load(HostConfiguration config, ILoggerFactory loggerFactory, IReadOnlySet<string>? needed = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var host = new PluginHost(config, loggerFactory);
        var infos = new List<PluginInfo>();
        if (!Directory.Exists(config.PluginDirectory))
        {
            host.Plugins = infos;
            host.DirectoryProblem = $"the plugin directory {config.PluginDirectory} does not exist (set by {config.PluginDirectoryOrigin})";
            return host;
        }

        foreach (var folder in Directory.GetDirectories(config.PluginDirectory).Order(StringComparer.Ordinal))
        {
            infos.Add(host.LoadOne(folder, needed));
        }

        foreach (var entry in config.Plugins.Where(e => e.Enabled && infos.All(i => !string.Equals(i.Name, e.Name, StringComparison.OrdinalIgnoreCase))))
        {
            infos.Add(new PluginInfo
            {
                Name = entry.Name,
                Directory = Path.Combine(config.PluginDirectory, entry.Name),
                Error = $"listed in plugins.yaml ({entry.Location}) but there is no folder '{entry.Name}' in {config.PluginDirectory}",
            });
            LogPluginWarning(host._logger, entry.Name, infos[^1].Error!);
        }

        host.Plugins = infos;
        return host;
    }

    private PluginInfo LoadOne(string folder, IReadOnlySet<string>? needed)
    {
        var name = Path.GetFileName(folder);
        var info = new PluginInfo { Name = name, Directory = folder };
        var entry = _config.Find(name);
        if (entry is { Enabled: false })
        {
            return info with { Disabled = true };
        }

        var main = Path.Combine(folder, name + ".dll");
        if (!File.Exists(main))
        {
            return info with { Error = $"the folder has no {name}.dll; a plugin folder holds the plugin's build output, its main assembly named after the folder" };
        }

        // Code that other users can replace runs as whoever runs lute.
        var exposed = _directoryExposed.Value ?? WritableByOthers(folder) ?? WritableByOthers(main);
        if (exposed is not null && _config.RefuseWritablePlugins)
        {
            return info with { Error = $"{exposed}; refusing to load it (plugin_permissions: refuse). Fix: chmod go-w on it" };
        }

        try
        {
            // A run hashes only pinned plugins; listing every plugin (needed is null) shows every hash.
            if (needed is null || entry?.Sha256 is not null)
            {
                var sha = PluginInspector.Sha256(main);
                info = info with { Sha256 = sha };
                if (entry?.Sha256 is { } pinned && !string.Equals(pinned, sha, StringComparison.OrdinalIgnoreCase))
                {
                    return info with { Error = $"SHA-256 mismatch: plugins.yaml ({entry.Location}) pins {pinned}, {name}.dll has {sha}; refusing to load it" };
                }
            }

            var facts = PluginInspector.Read(main);
            info = info with { Version = facts.Version, ContractVersion = facts.Contracts is null ? null : $"{facts.Contracts.Major}.{facts.Contracts.Minor}" };
            if (facts.Contracts is null)
            {
                return info with { Error = $"{name}.dll does not reference Lute.Contracts, so it is not a Lute plugin" };
            }

            if (facts.Contracts.Major != ContractVersion.Major)
            {
                return info with
                {
                    Error = $"built against contracts {facts.Contracts.Major}.{facts.Contracts.Minor}, but this host implements contracts {ContractVersion.Text}; rebuild the plugin against Lute.Contracts {ContractVersion.Major}.x",
                };
            }

            if (facts.Contracts.Minor > ContractVersion.Minor)
            {
                return info with
                {
                    Error = $"built against contracts {facts.Contracts.Major}.{facts.Contracts.Minor}, newer than this host's contracts {ContractVersion.Text}; upgrade lute or rebuild the plugin against Lute.Contracts {ContractVersion.Text}",
                };
            }

            if (needed is not null && !facts.ComponentNames.Any(needed.Contains))
            {
                return info with { Deferred = true };
            }

            var settings = PluginDefaults.Merge(folder, entry?.Settings ?? PluginSettings.Empty);
            var loader = PluginLoader.CreateFromAssemblyFile(main, SharedTypes, c =>
            {
                c.PreferSharedTypes = false;
                // Share the shared assemblies and their direct references without loading their whole dependency
                // closure first (which pulled in ~35 framework assemblies a plugin never uses).
                c.IsLazyLoaded = true;
            });
            var plugin = new LoadedPlugin(name, loader, settings);
            var (components, warnings) = plugin.Register(_loggerFactory, ComponentTypes);
            var accepted = new List<ComponentInfo>();
            foreach (var component in components)
            {
                if (_components.TryGetValue((component.Kind, component.Name), out var existing))
                {
                    // Neither wins: which one a run got would depend on folder order. The name is refused until
                    // one plugin is disabled; every other component of both plugins works.
                    var claimants = _conflicts.TryGetValue((component.Kind, component.Name), out var known) ? known : [existing.Info.Plugin];
                    _conflicts[(component.Kind, component.Name)] = [.. claimants, name];
                    warnings.Add($"{component.Kind.ToString().ToLowerInvariant()} '{component.Name}' is also provided by plugin {existing.Info.Plugin}; neither is used until one of them is disabled in plugins.yaml (enabled: false)");
                    continue;
                }

                _components[(component.Kind, component.Name)] = (component, plugin);
                accepted.Add(component);
            }

            _loaded.Add(plugin);
            if (exposed is not null)
            {
                warnings.Insert(0, $"{exposed}, so they can change what lute runs (fix: chmod go-w on it; plugin_permissions: refuse makes this an error)");
            }

            foreach (var warning in warnings)
            {
                LogPluginWarning(_logger, name, warning);
            }

            return info with { Components = accepted, Warnings = warnings };
        }
        catch (PluginException e)
        {
            return info with { Error = e.Message };
        }
        catch (ConfigurationException e)
        {
            return info with { Error = $"its {PluginDefaults.FileName} is not valid: {e.Message}" };
        }
        catch (ReflectionTypeLoadException e)
        {
            var causes = e.LoaderExceptions.Where(x => x is not null).Select(x => x!.Message).Distinct().Take(5);
            return info with { Error = $"types failed to load: {string.Join("; ", causes)}" };
        }
        catch (Exception e) when (e is IOException or BadImageFormatException or FileLoadException or TypeLoadException
                                      or InvalidOperationException or ArgumentException or TargetInvocationException
                                      or MissingMethodException or UnauthorizedAccessException)
        {
            return info with { Error = $"failed to load: {(e is TargetInvocationException { InnerException: { } inner } ? inner.Message : e.Message)}" };
        }
    }

    [LoggerMessage(EventId = 150, Level = LogLevel.Warning, Message = "Plugin {Plugin}: {Warning}")]
    private static partial void LogPluginWarning(ILogger logger, string plugin, string warning);

    /// <summary>Says what other users can write among the plugin's folder and files, or null when nothing.</summary>
    private static string? WritableByOthers(string path)
    {
        const UnixFileMode OthersWrite = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
        try
        {
            // Follows a symbolic link to what it names, which is what gets loaded.
            var target = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
            var mode = File.GetUnixFileMode(target);
            if ((mode & OthersWrite) == 0)
            {
                return null;
            }

            var who = (mode & UnixFileMode.OtherWrite) != 0 ? "every user" : "its group";
            return $"{target} can be written by {who} (mode {Convert.ToString((int)mode, 8)})";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The settings plugins.yaml gives the plugin that provides a component (empty when there is no such component).</summary>
    /// <param name="kind">The component's kind.</param>
    /// <param name="name">The component's name.</param>
    public PluginSettings Settings(ComponentKind kind, string name) =>
        _components.TryGetValue((kind, name), out var found) ? found.Plugin.Settings : PluginSettings.Empty;

    /// <summary>The names of the components of a kind.</summary>
    /// <param name="kind">The kind.</param>
    public IReadOnlyList<string> Names(ComponentKind kind) =>
        _components.Keys.Where(k => k.Item1 == kind).Select(k => k.Item2).Order(StringComparer.Ordinal).ToList();

    /// <summary>Creates the named component.</summary>
    /// <typeparam name="T">The component's interface.</typeparam>
    /// <param name="kind">Its kind.</param>
    /// <param name="name">Its name.</param>
    /// <param name="settings">
    /// Settings for this instance (a hook binding's settings over its plugin's), given to a constructor that takes
    /// <see cref="PluginSettings"/>; null for the plugin's own settings.
    /// </param>
    /// <returns>The component and the settings of its plugin.</returns>
    /// <exception cref="PluginException">No loaded plugin provides it, or it could not be created.</exception>
    public (T Component, PluginSettings Settings, ComponentInfo Info) Create<T>(ComponentKind kind, string name, PluginSettings? settings = null)
        where T : class
    {
        if (!_components.ContainsKey((kind, name)) && Plugins.Any(p => p.Deferred))
        {
            // Asked for something the needed names did not foresee: load the rest, for the component or a full list.
            Plugins = Plugins.Select(p => p.Deferred ? LoadOne(p.Directory, needed: null) : p).ToList();
        }

        if (_conflicts.TryGetValue((kind, name), out var claimants))
        {
            var what = kind.ToString().ToLowerInvariant();
            throw new PluginException(
                $"{what} '{name}' is provided by more than one plugin ({string.Join(", ", claimants)}), so it is ambiguous; disable all but one in plugins.yaml (under 'plugins:', '- {{ name: {claimants[^1]}, enabled: false }}') or remove its folder from {_config.PluginDirectory}");
        }

        if (!_components.TryGetValue((kind, name), out var found))
        {
            var what = kind.ToString().ToLowerInvariant();
            var failed = Plugins.Where(p => p.Error is not null).Select(p => $"{p.Name} ({p.Error})").ToList();
            var available = Names(kind).ToList();
            var message = $"no {what} named '{name}'. Available {what}s: {string.Join(", ", available.DefaultIfEmpty("(none)"))}.";
            var failedPlugins = failed.Count > 0 ? string.Join("; ", failed) : null;
            if (failedPlugins is not null)
            {
                message += $" Plugins that failed to load: {failedPlugins}.";
            }

            throw new PluginException(message + " Run 'lute plugins' to see what is installed.")
            {
                Available = available,
                FailedPlugins = failedPlugins,
            };
        }

        try
        {
            var takesSettings = settings is not null
                && found.Info.Type.GetConstructors().Any(c => c.GetParameters().Any(p => p.ParameterType == typeof(PluginSettings)));
            var created = takesSettings
                ? ActivatorUtilities.CreateInstance(found.Plugin.Services, found.Info.Type, settings!)
                : found.Plugin.Services.GetRequiredService(found.Info.Type);
            var instance = created as T
                ?? throw new PluginException($"{found.Info.Type.FullName} in plugin {found.Info.Plugin} is not a {typeof(T).Name}");
            return (instance, settings ?? found.Plugin.Settings, found.Info);
        }
        catch (Exception e) when (e is not PluginException and not OutOfMemoryException)
        {
            var cause = e is TargetInvocationException { InnerException: { } inner } ? inner : e;
            throw new PluginException($"plugin {found.Info.Plugin} could not create {kind.ToString().ToLowerInvariant()} '{name}': {cause.Message}", cause);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var plugin in _loaded)
        {
            plugin.Dispose();
        }
    }

    private sealed class LoadedPlugin(string name, PluginLoader loader, PluginSettings settings) : IDisposable
    {
        public PluginSettings Settings { get; } = settings;

        public ServiceProvider Services { get; private set; } = null!;

        public (List<ComponentInfo> Components, List<string> Warnings) Register(ILoggerFactory loggerFactory, Type[] componentTypes)
        {
            var assembly = loader.LoadDefaultAssembly();
            var services = new ServiceCollection();
            services.AddSingleton(loggerFactory);
            services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
            services.AddSingleton(Settings);
            services.Scan(scan => scan.FromAssemblies(assembly)
                .AddClasses(classes => classes.AssignableToAny(componentTypes), publicOnly: false)
                .AsSelf()
                .WithTransientLifetime());
            var components = new List<ComponentInfo>();
            var warnings = new List<string>();
            foreach (var descriptor in services.Where(d => d.ImplementationType is not null && d.ServiceType == d.ImplementationType).ToList())
            {
                var type = descriptor.ImplementationType!;
                if (type.IsAbstract)
                {
                    continue;
                }

                var attribute = type.GetCustomAttribute<LuteComponentAttribute>();
                if (attribute is null)
                {
                    warnings.Add($"{type.FullName} implements a component interface but has no [LuteComponent(\"name\")]; it cannot be named in YAML");
                    continue;
                }

                foreach (var kind in KindsOf(type))
                {
                    if (kind == ComponentKind.Communicator && Protocol.CommunicatorSettings.BuiltIn.Any(b => string.Equals(b.Name, attribute.Name, StringComparison.OrdinalIgnoreCase)))
                    {
                        warnings.Add($"{type.FullName} is named '{attribute.Name}', the name of a built-in communicator; it cannot be chosen (rename it)");
                        continue;
                    }

                    components.Add(new ComponentInfo(attribute.Name, kind, type, attribute.Description, name));
                }
            }

            foreach (var entryType in assembly.GetTypes().Where(t => typeof(ILutePlugin).IsAssignableFrom(t) && t is { IsAbstract: false, IsClass: true }))
            {
                try
                {
                    var entry = (ILutePlugin)Activator.CreateInstance(entryType, nonPublic: true)!;
                    entry.ConfigureServices(services, Settings);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    var cause = e is TargetInvocationException { InnerException: { } inner } ? inner : e;
                    throw new PluginException($"its registration {entryType.FullName}.ConfigureServices failed: {cause.GetType().Name}: {cause.Message}", cause);
                }
            }

            try
            {
                Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
            }
            catch (Exception e) when (e is AggregateException or InvalidOperationException or ArgumentException)
            {
                var causes = e is AggregateException many ? many.InnerExceptions.Select(x => x.Message) : [e.Message];
                throw new PluginException($"its services cannot be built: {string.Join("; ", causes.Distinct().Take(3))}", e);
            }

            return (components, warnings);
        }

        private static IEnumerable<ComponentKind> KindsOf(Type type)
        {
            if (typeof(IExecutor).IsAssignableFrom(type))
            {
                yield return ComponentKind.Executor;
            }

            if (typeof(IHook).IsAssignableFrom(type) || typeof(IRequestHandler).IsAssignableFrom(type))
            {
                yield return ComponentKind.Hook;
            }

            if (typeof(ITasklet).IsAssignableFrom(type))
            {
                yield return ComponentKind.Tasklet;
            }

            if (typeof(ICommunicator).IsAssignableFrom(type))
            {
                yield return ComponentKind.Communicator;
            }
        }

        public void Dispose()
        {
            Services?.Dispose();
            loader.Dispose();
        }
    }
}
