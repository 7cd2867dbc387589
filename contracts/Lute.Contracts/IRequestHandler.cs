namespace Lute.Contracts;

/// <summary>
/// Answers a task's <c>TASK_REQUEST</c>. Implemented by hooks that answer questions; the first handler (in the
/// order of plugins.yaml) that returns a reply wins.
/// </summary>
public interface IRequestHandler
{
    /// <summary>Answers a request, or returns null to let the next handler answer.</summary>
    /// <param name="request">The request.</param>
    /// <param name="context">The run, the hook's settings and the run's controls.</param>
    /// <param name="cancellationToken">Fires when the handler's time limit is reached.</param>
    ValueTask<TaskReply?> HandleAsync(TaskMessage request, HookContext context, CancellationToken cancellationToken = default);
}
