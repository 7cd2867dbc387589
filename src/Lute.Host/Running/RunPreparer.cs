using Lute.Contracts;
using Lute.Host.Configuration;
using Lute.Host.Diagnostics;
using Lute.Host.Environment;
using Lute.Host.Plugins;
using Lute.Host.Protocol;
using Lute.Host.Templates;

namespace Lute.Host.Running;

/// <summary>
/// The first phase of a run: renders the task's templates, finds its executor, hooks, tasklets and communicator, and
/// builds its environment. Whatever is wrong here is bad input, found before anything is recorded or launched.
/// </summary>
internal sealed class RunPreparer(HostConfiguration config, IComponentSource plugins)
{
    private static readonly TimeSpan DefaultGracePeriod = TimeSpan.FromSeconds(10);

    /// <summary>Prepares the task.</summary>
    /// <param name="request">What to run.</param>
    /// <param name="cancellationToken">Cancels the preparation (sourcing a script can take a while).</param>
    /// <exception cref="LuteException">Bad input.</exception>
    public async Task<PreparedRun> PrepareAsync(RunRequest request, CancellationToken cancellationToken)
    {
        var file = request.File;
        var task = file.Find(request.TaskName);
        var chosen = ChooseExecutor(task);
        var communicator = chosen.Communication.FromPlugin ? FindCommunicator(chosen) : null;
        var hooks = config.Hooks.Where(b => b.Tasks is null || b.Tasks.Contains(task.Name)).Select(CreateHook).ToList();
        var baseEnvironment = TaskEnvironment.Current();
        var renderer = Renderer(file, task, chosen.Name, baseEnvironment);
        var rendered = Render(file, task, renderer);
        CheckResources(task, chosen, rendered.Resources);
        var environment = await TaskEnvironment.BuildAsync(baseEnvironment, task.Environment, renderer, rendered.Folder, cancellationToken).ConfigureAwait(false);
        StartupTrace.Mark("run prepared (components created, templates rendered, environment built)");

        return new PreparedRun
        {
            File = file,
            Task = task,
            ExecutorName = chosen.Name,
            Executor = chosen.Executor,
            ExecutorSettings = chosen.Settings,
            Communication = chosen.Communication,
            PluginCommunicator = communicator,
            SettingsOwner = chosen.Owner,
            Parameters = rendered.Parameters,
            Command = rendered.Command,
            WorkingDirectory = rendered.WorkingDirectory,
            Resources = rendered.Resources,
            Environment = environment,
            BaseEnvironment = baseEnvironment,
            EnvironmentChanges = TaskEnvironment.Changes(baseEnvironment, environment),
            Result = rendered.Result,
            Timeout = task.Timeout ?? file.Header.Timeout,
            GracePeriod = task.GracePeriod ?? file.Header.GracePeriod ?? DefaultGracePeriod,
            Before = rendered.Before,
            After = rendered.After,
            Hooks = hooks,
            // The runner's token is always a secret, whatever the patterns.
            Redactor = new SecretRedactor([.. config.SecretVariables, ProtocolConstants.TokenVariable], baseEnvironment, environment),
        };
    }

    /// <summary>Everything of the task that templates reach, rendered.</summary>
    private RenderedTask Render(TaskFile file, TaskDefinition task, TemplateRenderer renderer)
    {
        var folder = Path.GetDirectoryName(file.Path)!;
        var workText = task.WorkingDirectory ?? file.Header.WorkDirectory;
        return new RenderedTask(
            folder,
            renderer.RenderParameters(),
            // Values go into a program's arguments as they are; into a shell script only quoted (no shell otherwise).
            task.Command.Select((text, i) => task.Shell && i == task.Command.Count - 1 ? renderer.RenderShell(text) : renderer.Render(text)).ToList(),
            workText is null ? folder : Path.GetFullPath(renderer.Render(workText), folder),
            task.Resources.ToDictionary(r => r.Key, r => Resource(r.Key, r.Value, renderer), StringComparer.Ordinal),
            task.Result is null ? null : renderer.Render(task.Result),
            PrepareTasklets(task.Before, renderer),
            PrepareTasklets(task.After, renderer));
    }

    /// <summary>The task's executor, its plugin's settings, and the communicator those settings choose.</summary>
    private ExecutorChoice ChooseExecutor(TaskDefinition task)
    {
        var name = task.Executor ?? config.DefaultExecutor;
        var (executor, settings, info) = Create<IExecutor>(
            ComponentKind.Executor, name, task.ExecutorLocation ?? config.DefaultExecutorLocation ?? task.Location);
        var entry = config.Find(info.Plugin);
        var owner = $"executor '{name}' (settings of plugin {info.Plugin}{(entry is not null ? $", {entry.Location}" : string.Empty)})";
        try
        {
            return new ExecutorChoice(name, executor, settings, CommunicatorSettings.Parse(settings), entry, owner);
        }
        catch (FormatException e)
        {
            throw BadCommunicatorSetting(e.Message, name, entry, owner, e);
        }
    }

    /// <summary>A bad communicator setting, at the place in plugins.yaml that gives it when there is one.</summary>
    private static LuteException BadCommunicatorSetting(string message, string executorName, PluginEntry? entry, string owner, Exception cause) =>
        entry is not null
            ? new ConfigurationException(
                entry.Location,
                $"{message} (settings of plugin {entry.Name}, executor '{executorName}')",
                "write a value the message allows under the plugin's 'settings:', or remove the setting for its default (docs/protocol.md, \"Choosing the transport\")",
                cause)
            : new InputException($"{owner}: {message}", cause);

    /// <summary>
    /// The names of the components a run of the task uses (its executor, the hooks bound to it, its plugin tasklets), so
    /// that only the plugins providing them need to be loaded.
    /// </summary>
    /// <param name="config">The host configuration.</param>
    /// <param name="file">The task file.</param>
    /// <param name="taskName">The task.</param>
    /// <exception cref="InputException">The file has no such task.</exception>
    internal static IReadOnlySet<string> ComponentsUsed(HostConfiguration config, TaskFile file, string taskName)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(file);
        var task = file.Find(taskName);
        var names = new HashSet<string>(StringComparer.Ordinal) { task.Executor ?? config.DefaultExecutor };
        names.UnionWith(config.Hooks.Where(b => b.Tasks is null || b.Tasks.Contains(task.Name)).Select(b => b.Use));
        names.UnionWith(task.Before.Concat(task.After).Select(t => t.Use).OfType<string>());
        // A communicator a plugin provides is named in an executor plugin's settings: its plugin loads with the run.
        names.UnionWith(config.Plugins.Select(p => p.Settings.Get(CommunicatorSettings.CommunicatorKey)?.Trim())
            .OfType<string>().Where(n => n.Length > 0 && !CommunicatorSettings.BuiltIn.Any(b => string.Equals(b.Name, n, StringComparison.OrdinalIgnoreCase))));
        return names;
    }

    /// <summary>The renderer of a task's <c>{{ }}</c> templates: its parameters, the header, the environment, the built-ins.</summary>
    internal static TemplateRenderer Renderer(TaskFile file, TaskDefinition task, string executorName, IReadOnlyDictionary<string, string> environment) =>
        new(task.Parameters, file.Header.Values, environment, new Dictionary<string, string>
        {
            ["task"] = task.Name,
            ["executor"] = executorName,
            ["host"] = System.Environment.MachineName,
            ["task_file"] = file.Path,
            ["task_dir"] = Path.GetDirectoryName(file.Path)!,
            [ShippedPythonClient.TemplateName] = ShippedPythonClient.Directory,
        });

    /// <summary>
    /// Creates a bound hook with its binding's settings over its plugin's, so that a hook pack binds and validates
    /// them in its constructor: a missing or malformed setting stops the run here, before anything is recorded.
    /// </summary>
    private (HookBinding, object, PluginSettings) CreateHook(HookBinding binding)
    {
        var pluginSettings = plugins.Settings(ComponentKind.Hook, binding.Use);
        var merged = new Dictionary<string, string>(pluginSettings.Values, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in binding.Settings.Values)
        {
            merged[key] = value;
        }

        var settings = new PluginSettings(merged);
        try
        {
            var (component, _, _) = Create<object>(ComponentKind.Hook, binding.Use, binding.Location, settings);
            return (binding, component, settings);
        }
        catch (PluginException e) when (e.InnerException is not null)
        {
            throw new ConfigurationException(
                binding.Location, e.Message, "correct the value under this hook's 'settings:' (or its plugin's), as the message says", e);
        }
    }

    /// <summary>
    /// The task's resources against what its executor takes (contracts 1.3, <see cref="IResourceCheck"/>): the first
    /// problem is bad input at the resource's place in the task file. An executor without the check gets them at launch.
    /// </summary>
    internal static void CheckResources(TaskDefinition task, ExecutorChoice chosen, IReadOnlyDictionary<string, string> resources)
    {
        if (chosen.Executor is not IResourceCheck check)
        {
            return;
        }

        IReadOnlyList<ResourceProblem> problems;
        try
        {
            problems = check.CheckResources(resources, chosen.Settings);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new PluginException($"executor '{chosen.Name}' failed while checking the task's resources: {e.GetType().Name}: {e.Message}", e);
        }

        if (problems is not [var first, ..])
        {
            return;
        }

        var place = task.Resources.FirstOrDefault(r => r.Key == first.Resource).Value?.Location ?? task.ExecutorLocation ?? task.Location;
        // A plugin's record: its texts may be null whatever their types say.
        throw new ConfigurationException(
            place, $"resource '{first.Resource}' for executor '{chosen.Name}': {first.Problem ?? "is not valid"}", first.Fix ?? $"see the documentation of executor '{chosen.Name}'");
    }

    /// <summary>A resource's value with its references rendered, checked again when it held references.</summary>
    private static string Resource(string key, TemplateText value, TemplateRenderer renderer)
    {
        var rendered = renderer.Render(value);
        ResourceValues.Check(key, value with { Text = rendered });
        return rendered;
    }

    /// <summary>Creates a component; a name no plugin provides is bad input at the place that names it.</summary>
    private (T Component, PluginSettings Settings, ComponentInfo Info) Create<T>(
        ComponentKind kind, string name, SourceLocation namedAt, PluginSettings? settings = null)
        where T : class
    {
        try
        {
            return plugins.Create<T>(kind, name, settings);
        }
        catch (PluginException e) when (e.Available is { } available)
        {
            var what = kind.ToString().ToLowerInvariant();
            var failed = e.FailedPlugins is null ? string.Empty : $" (plugins that failed to load: {e.FailedPlugins})";
            var missing = plugins.DirectoryProblem is { } problem ? $": {problem}" : string.Empty;
            throw new ConfigurationException(
                namedAt,
                $"no {what} named '{name}'{failed}{missing}",
                plugins.DirectoryProblem is not null
                    ? "build the shipped plugins (./build.sh puts them in out/plugins), or set 'directory:' in plugins.yaml to the folder that holds them"
                    : available.Count == 0
                        ? $"install a plugin that provides {(what[0] is 'a' or 'e' or 'i' or 'o' or 'u' ? "an" : "a")} {what} (see 'lute plugins')"
                        : $"write one of the available {what}s: {string.Join(", ", available)} (see 'lute plugins')",
                e);
        }
    }

    /// <summary>The communicator a plugin provides under the chosen name; a name nothing provides is bad input.</summary>
    private PluginCommunicator FindCommunicator(ExecutorChoice chosen)
    {
        var name = chosen.Communication.Name;
        try
        {
            var (communicator, settings, _) = plugins.Create<ICommunicator>(ComponentKind.Communicator, name);
            return new PluginCommunicator(name, communicator, settings);
        }
        catch (PluginException e) when (e.Available is { } available)
        {
            throw BadCommunicatorSetting(CommunicatorSettings.Unknown(name, available).Message, chosen.Name, chosen.Entry, chosen.Owner, e);
        }
    }

    private List<PreparedTasklet> PrepareTasklets(IReadOnlyList<TaskletSpec> specs, TemplateRenderer renderer)
    {
        var list = new List<PreparedTasklet>();
        foreach (var spec in specs)
        {
            var arguments = spec.Arguments.Select(renderer.Render).ToList();
            if (spec.Use is null)
            {
                list.Add(new PreparedTasklet(spec, arguments, null, PluginSettings.Empty));
                continue;
            }

            var (tasklet, settings, _) = Create<ITasklet>(ComponentKind.Tasklet, spec.Use, spec.Location);
            list.Add(new PreparedTasklet(spec, arguments, tasklet, settings));
        }

        return list;
    }
}
