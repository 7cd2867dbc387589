namespace Lute.Contracts;

/// <summary>
/// Moves messages from a task to the runner. A communicator is opened for every run before the task is launched;
/// the environment variables it returns tell the task how to reach it.
/// </summary>
public interface ICommunicator
{
    /// <summary>Opens the communicator for one run.</summary>
    /// <param name="context">The run and the sink that receives what the task says.</param>
    /// <param name="cancellationToken">Cancels the opening.</param>
    /// <returns>The open session.</returns>
    ValueTask<ICommunicatorSession> OpenAsync(CommunicatorContext context, CancellationToken cancellationToken = default);
}
