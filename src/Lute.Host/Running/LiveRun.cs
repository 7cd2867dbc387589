using Lute.Contracts;
using Lute.Host.Logging;
using Lute.Host.Store;
using Microsoft.Extensions.Logging;

namespace Lute.Host.Running;

/// <summary>
/// A recorded run with its channel open: what every phase after the first two shares. The references never change;
/// what the run's events teach is kept in <see cref="State"/>, and a critical hook's failure in <see cref="Critical"/>.
/// </summary>
internal sealed class LiveRun
{
    /// <summary>The prepared task.</summary>
    public required PreparedRun Prepared { get; init; }

    /// <summary>The run as hooks and tasklets see it.</summary>
    public required RunInfo Run { get; init; }

    /// <summary>When the run started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Where the run is recorded; null when the store could not be opened or written at the start.</summary>
    public required IRunRecorder? Recorder { get; init; }

    /// <summary>The run's log.</summary>
    public required RunLog Log { get; init; }

    /// <summary>What the run's events teach the runner.</summary>
    public required RunState State { get; init; }

    /// <summary>The run's one event channel.</summary>
    public required RunEventBus Bus { get; init; }

    /// <summary>Cancellation, stop and continue.</summary>
    public required RunControl Control { get; init; }

    /// <summary>The bound hooks.</summary>
    public required HookDispatcher Hooks { get; init; }

    /// <summary>The consumer of the event channel; completes once the channel is completed and emptied.</summary>
    public required Task Consuming { get; init; }

    /// <summary>The first failure of a critical hook.</summary>
    public required CriticalFailure Critical { get; init; }

    /// <summary>The runner's log lines for this run.</summary>
    public ILogger Logger => Log.Runner;

    /// <summary>Completes the channel and waits until every event in it has been dispatched.</summary>
    public async ValueTask EndChannelAsync()
    {
        Bus.Complete();
        await Consuming.ConfigureAwait(false);
    }
}

/// <summary>The first failure of a critical hook, set once by the hook dispatcher.</summary>
internal sealed class CriticalFailure
{
    private string? _reason;

    /// <summary>The reason, or null.</summary>
    public string? Reason => Volatile.Read(ref _reason);

    /// <summary>Keeps <paramref name="reason"/> unless a failure was already kept; true when it was kept.</summary>
    public bool Set(string reason) => Interlocked.CompareExchange(ref _reason, reason, null) is null;
}
