namespace Lute.Contracts;

/// <summary>
/// A launched task process. Disposing it must leave no process of the task behind.
/// </summary>
public interface IExecution : IAsyncDisposable
{
    /// <summary>The process id of the launched process (the launcher's, for mpirun or srun).</summary>
    int ProcessId { get; }

    /// <summary>The process's standard output; the runner reads it to the end.</summary>
    Stream StandardOutput { get; }

    /// <summary>The process's standard error; the runner reads it to the end.</summary>
    Stream StandardError { get; }

    /// <summary>
    /// Facts about the launch worth recording with the result, for example the process group or a SLURM job id.
    /// Read after the process has exited as well as after launch.
    /// </summary>
    IReadOnlyDictionary<string, string> Details { get; }

    /// <summary>Waits until the process has exited.</summary>
    /// <param name="cancellationToken">Stops waiting; does not affect the process.</param>
    /// <returns>How the process ended.</returns>
    Task<ProcessExit> WaitForExitAsync(CancellationToken cancellationToken = default);

    /// <summary>Delivers a signal to every process of the task (the whole process group, every rank).</summary>
    /// <param name="signal">The signal to deliver.</param>
    /// <param name="cancellationToken">Cancels the delivery.</param>
    ValueTask SignalAsync(TaskSignal signal, CancellationToken cancellationToken = default);
}
