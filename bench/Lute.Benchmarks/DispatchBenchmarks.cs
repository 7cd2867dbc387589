using BenchmarkDotNet.Attributes;
using Lute.Contracts;
using Lute.Host.Configuration;
using Lute.Host.Running;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lute.Benchmarks;

/// <summary>One event to N hooks that do nothing: HookDispatcher alone, and through the run's event bus.</summary>
[MemoryDiagnoser]
public class DispatchBenchmarks
{
    private const int Events = 10_000;
    private HookDispatcher _dispatcher = null!;
    private LogLineEvent _event = null!;

    [Params(1, 4, 16)]
    public int Hooks { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var context = new HookContext(
            new RunInfo { RunId = 1, TaskName = "Bench", Executor = "local", WorkDirectory = "/tmp", Host = "node12" },
            PluginSettings.Empty,
            new NoControl());
        var binding = new HookBinding
        {
            Use = "bench.count",
            On = new HashSet<string>(StringComparer.Ordinal) { HookEvents.Log },
            Location = new SourceLocation("plugins.yaml", 1, 1),
        };
        var hooks = Enumerable.Range(0, Hooks).Select(_ => new HookInstance(binding, new CountingHook(), context)).ToList();
        _dispatcher = new HookDispatcher(hooks, NullLogger.Instance, _ => { });
        _event = new LogLineEvent(DateTimeOffset.UtcNow, LogSource.Message, "t=1764086400000000 42", null);
    }

    /// <summary>HookDispatcher.DispatchAsync of one log event.</summary>
    [Benchmark]
    public ValueTask Dispatch() => _dispatcher.DispatchAsync(_event, "Bench", CancellationToken.None);

    /// <summary>10,000 events published into a RunEventBus and dispatched by its one consumer (per event).</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public async Task BusAndDispatch()
    {
        var bus = new RunEventBus();
        var consuming = bus.ConsumeAsync((e, _) => _dispatcher.DispatchAsync(e, "Bench", CancellationToken.None));
        for (var i = 0; i < Events; i++)
        {
            await bus.PublishAsync(_event, CancellationToken.None).ConfigureAwait(false);
        }

        bus.Complete();
        await consuming.ConfigureAwait(false);
    }

    private sealed class CountingHook : IHook
    {
        private long _count;

        public ValueTask OnEventAsync(TaskEvent taskEvent, HookContext context, CancellationToken cancellationToken = default)
        {
            _count++;
            return ValueTask.CompletedTask;
        }
    }

    private sealed class NoControl : IRunControl
    {
        public ValueTask StopAsync(string reason, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask ContinueAsync(string reason, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public void Cancel(string reason)
        {
        }

        public void AddSummary(string key, string value)
        {
        }
    }
}
