using Lute.Contracts;

namespace Lute.Host.Running;

/// <summary>Why supervision of a launched task ended.</summary>
internal enum EndCause
{
    /// <summary>The task's process exited by itself.</summary>
    Exited,

    /// <summary>The runner's time limit ended it.</summary>
    TimedOut,

    /// <summary>A cancellation (a signal to <c>lute run</c>, a critical hook, the caller) ended it.</summary>
    Cancelled,
}

/// <summary>
/// What the phases of a run found out, collected once the task is over: the only input of
/// <see cref="OutcomeDecision.Decide"/>. Each member is set by one phase and never changed afterwards.
/// </summary>
internal sealed record RunFacts
{
    /// <summary>How the task's process ended; null when it was never launched.</summary>
    public ProcessExit? Exit { get; init; }

    /// <summary>Why supervision ended (or, for a task never launched, whether a cancellation prevented the launch).</summary>
    public EndCause Cause { get; init; }

    /// <summary>The executor's message when the launch failed.</summary>
    public string? LaunchError { get; init; }

    /// <summary>The first failure of a "before" or "after" tasklet.</summary>
    public string? TaskletFailure { get; init; }

    /// <summary>The runner's own failure (a socket that cannot be created, a plugin that throws).</summary>
    public string? RunnerError { get; init; }

    /// <summary>The reason a critical hook gave when it failed.</summary>
    public string? CriticalHookFailure { get; init; }

    /// <summary>Why the run was cancelled, when it was.</summary>
    public string? CancelReason { get; init; }

    /// <summary>The failure the task reported itself (TASK_FAILED).</summary>
    public string? TaskFailure { get; init; }

    /// <summary>True when the task reported that it cancelled its work (TASK_CANCELLED).</summary>
    public bool TaskCancelled { get; init; }

    /// <summary>The runner's time limit, for the reason of a time-out.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Facts about the launch for the record (the executor's details); never an input of the decision.</summary>
    public IReadOnlyDictionary<string, string> Details { get; init; } = new Dictionary<string, string>();
}

/// <summary>The decided outcome of a run.</summary>
/// <param name="Status">The final status.</param>
/// <param name="Reason">Why, in words; null for plain success.</param>
/// <param name="LaunchFailed">True when the engine failed to launch the task (as opposed to the task failing).</param>
internal sealed record Outcome(RunStatus Status, string? Reason, bool LaunchFailed);
