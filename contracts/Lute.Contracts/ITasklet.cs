namespace Lute.Contracts;

/// <summary>A small step run before the task is launched or after it has ended.</summary>
public interface ITasklet
{
    /// <summary>Runs the step.</summary>
    /// <param name="context">The run and the step's rendered arguments.</param>
    /// <param name="cancellationToken">Fires when the step's time limit is reached or the run is cancelled.</param>
    /// <returns>What the step produced.</returns>
    ValueTask<TaskletOutput> RunAsync(TaskletContext context, CancellationToken cancellationToken = default);
}
