using Lute.Contracts;
using Lute.Host.Configuration;
using Lute.Host.Environment;
using Lute.Host.Plugins;
using Lute.Host.Store;

namespace Lute.Host.Running;

/// <summary>
/// The life cycle of a run, read top to bottom in <see cref="RunAsync"/>: prepare, record, open the run, open the
/// communicators, "before" tasklets, launch, supervise, drain, "after" tasklets, decide, record the outcome. Each
/// phase returns a fact; <see cref="OutcomeDecision"/> decides the outcome from them once. What a run acquires is
/// owned by a <see cref="RunScope"/> and released in reverse order.
/// </summary>
public sealed partial class TaskRunner
{
    private readonly HostConfiguration _config;
    private readonly IComponentSource _components;
    private readonly Serilog.ILogger _console;
    private readonly RunRecorderSource? _recorders;

    /// <summary>A runner whose runs open the configured SQLite store, each its own connection.</summary>
    /// <param name="config">The host configuration.</param>
    /// <param name="plugins">The loaded plugins.</param>
    /// <param name="console">Where the runner's and the task's lines go besides the run's log file.</param>
    public TaskRunner(HostConfiguration config, PluginHost plugins, Serilog.ILogger console)
        : this(config, (IComponentSource)plugins, console, recorders: null)
    {
    }

    /// <summary>A runner with its components and its recorder given (the command's own, or a test's).</summary>
    /// <param name="config">The host configuration.</param>
    /// <param name="components">Where executors, hooks, tasklets and communicators are found.</param>
    /// <param name="console">Where the runner's and the task's lines go besides the run's log file.</param>
    /// <param name="recorders">The recorder of every run (owned by the caller); null to open the configured store per run.</param>
    internal TaskRunner(HostConfiguration config, IComponentSource components, Serilog.ILogger console, RunRecorderSource? recorders)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(components);
        ArgumentNullException.ThrowIfNull(console);
        (_config, _components, _console, _recorders) = (config, components, console, recorders);
    }

    /// <summary>Runs a task to its end and records the result.</summary>
    /// <param name="request">What to run.</param>
    /// <param name="cancellationToken">Cancels the run gracefully (graceful signal, then forceful); the run ends CANCELLED.</param>
    /// <returns>The outcome.</returns>
    /// <exception cref="LuteException">Bad input: nothing was recorded or launched.</exception>
    public async Task<RunOutcome> RunAsync(RunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var prepared = await new RunPreparer(_config, _components).PrepareAsync(request, cancellationToken).ConfigureAwait(false);
        using var span = RunTraces.StartRun(prepared, prepared.BaseEnvironment);
        await using var scope = new RunScope();
        var listener = await BindListenerAsync(prepared, scope, cancellationToken).ConfigureAwait(false);
        var recorded = await RecordStartAsync(prepared, scope, cancellationToken).ConfigureAwait(false);
        var live = await OpenRunAsync(prepared, recorded, listener, request, scope, cancellationToken).ConfigureAwait(false);
        var facts = await RunTaskAsync(live, listener, scope).ConfigureAwait(false);
        var result = await DecideAsync(live, facts).ConfigureAwait(false);
        var outcome = await RecordOutcomeAsync(live, recorded, result).ConfigureAwait(false);
        RunTraces.Ended(span, outcome.Result);
        return outcome;
    }

    /// <summary>
    /// The names of the components a run of the task uses (its executor, the hooks bound to it, its plugin tasklets), so
    /// that only the plugins providing them need to be loaded.
    /// </summary>
    /// <param name="config">The host configuration.</param>
    /// <param name="file">The task file.</param>
    /// <param name="taskName">The task.</param>
    /// <exception cref="InputException">The file has no such task.</exception>
    public static IReadOnlySet<string> ComponentsUsed(HostConfiguration config, TaskFile file, string taskName) =>
        RunPreparer.ComponentsUsed(config, file, taskName);

    /// <summary>The renderer of a task's <c>{{ }}</c> templates: its parameters, the header, the environment, the built-ins.</summary>
    internal static Templates.TemplateRenderer Renderer(TaskFile file, TaskDefinition task, string executorName, IReadOnlyDictionary<string, string> environment) =>
        RunPreparer.Renderer(file, task, executorName, environment);
}
