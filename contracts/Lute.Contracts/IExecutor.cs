namespace Lute.Contracts;

/// <summary>
/// Launches a task's process on an engine (this machine, mpirun, srun) and hands back a handle to control it.
/// An executor only launches and controls: the runner reads output, dispatches events, enforces time limits and
/// records results for every executor alike.
/// </summary>
public interface IExecutor
{
    /// <summary>Starts the process described by <paramref name="request"/>.</summary>
    /// <param name="request">What to run, where and with which environment.</param>
    /// <param name="cancellationToken">Cancels the launch itself.</param>
    /// <returns>A handle to the running process.</returns>
    /// <exception cref="LaunchException">The engine could not start the process.</exception>
    Task<IExecution> LaunchAsync(LaunchRequest request, CancellationToken cancellationToken = default);
}
