namespace Lute.Contracts;

/// <summary>How a task's process ended.</summary>
/// <param name="ExitCode">The exit code, when the process exited by itself.</param>
/// <param name="Signal">The number of the signal that ended the process, when one did.</param>
/// <param name="EngineError">
/// Set when the engine (mpirun, srun) failed before or around the task rather than the task itself, with the
/// engine's own message.
/// </param>
public sealed record ProcessExit(int? ExitCode, int? Signal, string? EngineError = null)
{
    /// <summary>True when the process exited with code 0 and the engine reported no error.</summary>
    public bool Succeeded => ExitCode == 0 && Signal is null && EngineError is null;

    /// <summary>
    /// Set with <see cref="EngineError"/> when the engine ended the task by its own decision: its time limit, or a
    /// cancellation from outside (since contracts 1.2). An engine error with <see cref="EngineOutcome.None"/> is a failure
    /// of the engine.
    /// </summary>
    public EngineOutcome EngineOutcome { get; init; }
}
