using Lute.Contracts;
using Lute.Host.Logging;
using Lute.Host.Protocol;
using Lute.Host.Store;

namespace Lute.Host.Running;

/// <summary>
/// The one consumer of a run's event channel: each event, in order, updates the run's state, is recorded when it is
/// a stop or a continue, goes to the run log when it is a line, is answered when it is a request, and goes to hooks.
/// </summary>
internal sealed partial class RunEvents(
    RunState state, IRunRecorder? recorder, long runId, RunLog log, HookDispatcher hooks, RankHosts? hosts, string taskName, IRunObserver? observer)
{
    /// <summary>Handles one event (and its reply, for a request).</summary>
    public async ValueTask HandleAsync(TaskEvent taskEvent, TaskCompletionSource<TaskReply>? reply)
    {
        state.Apply(taskEvent);
        observer?.Observe(taskEvent);
        if (taskEvent is TaskStatusEvent { Status: RunStatus.Stopped or RunStatus.Running } status && recorder is not null)
        {
            await RecordStatusAsync(recorder, status.Status).ConfigureAwait(false);
        }

        if (taskEvent is LogLineEvent line)
        {
            log.TaskLine(line.Source, line.Rank, line.Text, line.Rank is { } rank ? hosts?.Of(rank) : null);
        }

        if (reply is not null)
        {
            reply.TrySetResult(await hooks.AnswerAsync((TaskMessageEvent)taskEvent, taskName, CancellationToken.None).ConfigureAwait(false));
        }

        await hooks.DispatchAsync(taskEvent, taskName, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>A stop or continue is recorded as it happens (STOPPED, RUNNING again); a store failure only logs.</summary>
    private async Task RecordStatusAsync(IRunRecorder store, RunStatus status)
    {
        try
        {
            await store.StatusChangedAsync(runId, status, CancellationToken.None).ConfigureAwait(false);
        }
        catch (StoreException e)
        {
            LogStoreFailed(log.Runner, e.Message);
        }
    }

    [Microsoft.Extensions.Logging.LoggerMessage(EventId = 607, Level = Microsoft.Extensions.Logging.LogLevel.Error, Message = "The outcome could not be written to the result store: {Error}")]
    private static partial void LogStoreFailed(Microsoft.Extensions.Logging.ILogger logger, string error);
}
