namespace Lute.Host.Running;

/// <summary>
/// Keys of <c>IExecution.Details</c> that the runner reads, beyond recording them. Executors set them; see
/// docs/architecture.md ("Executor details the runner reads").
/// </summary>
internal static class ExecutionDetails
{
    /// <summary>
    /// Set with <c>ProcessExit.EngineError</c> when the engine ended the task itself: <see cref="TimedOut"/> (its own
    /// time limit, for example SLURM's) or <see cref="Cancelled"/> (cancelled from outside, for example scancel).
    /// </summary>
    public const string EngineOutcome = "engine_outcome";

    public const string TimedOut = "timed_out";

    public const string Cancelled = "cancelled";
}
