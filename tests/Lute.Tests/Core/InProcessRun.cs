using Lute.Contracts;
using Lute.Host.Configuration;
using Lute.Host.Plugins;
using Lute.Host.Running;
using Lute.Host.Store;

namespace Lute.Tests.Core;

/// <summary>
/// A run of the real <see cref="TaskRunner"/> inside the test process: a fake executor instead of a process, an
/// in-memory recorder instead of SQLite, hooks as objects. The task file and plugins.yaml are real files in a
/// temporary folder (the run's log goes there too).
/// </summary>
internal sealed class InProcessRun : IAsyncDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("lute-core-").FullName;

    public InProcessRun(FakeExecutor executor, Func<string, bool>? storeFails = null)
    {
        Executor = executor;
        Recorder = new InMemoryRunRecorder(storeFails);
        Components = new FakeComponents().With(ComponentKind.Executor, "fake", executor);
    }

    public InProcessRun(FakeScript script, Func<string, bool>? storeFails = null)
        : this(new FakeExecutor(script), storeFails)
    {
    }

    public FakeExecutor Executor { get; }

    public InMemoryRunRecorder Recorder { get; }

    public FakeComponents Components { get; }

    /// <summary>Extra lines of plugins.yaml (hooks: ...).</summary>
    public string Configuration { get; set; } = string.Empty;

    /// <summary>
    /// More of the task's body in the task file, under <c>tasks: { Fake: ... }</c>, besides <c>executor: fake</c> and
    /// <c>command: [fake]</c> (left out when this names a command).
    /// </summary>
    public string Task { get; init; } = string.Empty;

    /// <summary>The task's executor.</summary>
    public string ExecutorName { get; init; } = "fake";

    /// <summary>The drain limit (short, for tests of output that never ends).</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public string Root => _root;

    public static InProcessRun Of(FakeScript script) => new(script);

    public static InProcessRun Of(FakeExecutor executor) => new(executor);

    /// <summary>Binds a hook (an object implementing IHook or IRequestHandler) under a name.</summary>
    public InProcessRun WithHook(string name, object hook)
    {
        Components.With(ComponentKind.Hook, name, hook);
        return this;
    }

    /// <summary>Runs the task to its end.</summary>
    public Task<RunOutcome> RunAsync(RunControlRelay? controls = null, CancellationToken cancellationToken = default) =>
        RunAsync(Recorder, controls, cancellationToken);

    /// <summary>Runs the task with another recorder (a mock, say).</summary>
    public async Task<RunOutcome> RunAsync(IRunRecorder recorder, RunControlRelay? controls = null, CancellationToken cancellationToken = default)
    {
        var configPath = Path.Combine(_root, "plugins.yaml");
        await File.WriteAllTextAsync(configPath, $"directory: plugins\nstore: store/lute.db\nlogs: logs\n{Configuration}\n", cancellationToken);
        var config = HostConfigurationLoader.Parse(configPath, await File.ReadAllTextAsync(configPath, cancellationToken)) with
        {
            ConsoleTaskOutput = false,
            DrainTimeout = DrainTimeout,
        };
        var taskPath = Path.Combine(_root, "tasks.yaml");
        var body = Task.Split('\n').Any(l => l.StartsWith("command:", StringComparison.Ordinal)) ? Task : $"command: [fake]\n{Task}";
        var indented = string.Join("\n", body.Split('\n').Select(l => "    " + l));
        await File.WriteAllTextAsync(taskPath, $"tasks:\n  Fake:\n    executor: {ExecutorName}\n{indented}\n", cancellationToken);
        var file = TaskFileLoader.Load(taskPath);
        await using var recorders = new RunRecorderSource(_ => System.Threading.Tasks.Task.FromResult(recorder));
        var runner = new TaskRunner(config, Components, Serilog.Core.Logger.None, recorders);
        return await runner.RunAsync(new RunRequest(file, "Fake") { Controls = controls }, cancellationToken);
    }

    /// <summary>The run as recorded.</summary>
    public async Task<RunRecord> RecordAsync(RunOutcome outcome) =>
        await Recorder.GetAsync(outcome.Result.Run.RunId, CancellationToken.None) ?? throw new InvalidOperationException("the run was not recorded");

    /// <summary>The lines of the run's log file.</summary>
    public IReadOnlyList<string> LogLines(RunOutcome outcome) => File.ReadAllLines(outcome.LogPath);

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return ValueTask.CompletedTask;
    }
}
