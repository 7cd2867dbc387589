namespace Lute.Contracts;

/// <summary>How an engine (srun, mpirun) ended a task itself, when it did (since contracts 1.2).</summary>
public enum EngineOutcome
{
    /// <summary>The engine did not end the task by its own decision, or says nothing of it.</summary>
    None = 0,

    /// <summary>The engine ended the task at its own time limit (SLURM's, for example): the run is TIMED_OUT.</summary>
    TimedOut = 1,

    /// <summary>The task was cancelled from outside through the engine (scancel, for example): the run is CANCELLED.</summary>
    Cancelled = 2,
}
