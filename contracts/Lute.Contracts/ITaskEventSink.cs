namespace Lute.Contracts;

/// <summary>Receives what a task says, on behalf of the runner.</summary>
public interface ITaskEventSink
{
    /// <summary>Publishes an event; waits while the runner is busy (back-pressure), never drops it.</summary>
    /// <param name="taskEvent">The event.</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    ValueTask PublishAsync(TaskEvent taskEvent, CancellationToken cancellationToken = default);

    /// <summary>
    /// Publishes a <c>TASK_REQUEST</c> and waits for the reply of the hooks that handle requests. The reply is an
    /// error when no hook answers.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    /// <returns>The reply to send back to the task.</returns>
    Task<TaskReply> RequestAsync(TaskMessage request, CancellationToken cancellationToken = default);
}
