using Lute.Host.Store;
using Microsoft.Extensions.Logging;

namespace Lute.Host.Running;

/// <summary>
/// What another host asks of this run through the store (<see cref="IRunControlChannel"/>): applied as the runner
/// applies its own signals (SIGTSTP, SIGCONT, SIGTERM), so it is recorded and told to hooks the same way; a second
/// cancel ends the task without the grace period, as a second Ctrl-C does.
/// </summary>
internal static partial class RemoteControl
{
    /// <summary>Hands the run's requests to <paramref name="control"/> while the result is not disposed; null when the store has no channel.</summary>
    /// <param name="recorder">The run's store (the one that recorded it as started).</param>
    /// <param name="runId">The run.</param>
    /// <param name="control">The run's controls.</param>
    /// <param name="logger">Where requests and problems are logged.</param>
    public static IDisposable? Listen(IRunRecorder? recorder, long runId, RunControl control, ILogger logger)
    {
        if (recorder is not IRunControlChannel channel || runId <= 0)
        {
            return null;
        }

        return channel.Listen(runId, request => ApplyAsync(control, request, logger), problem => LogProblem(logger, problem));
    }

    private static async ValueTask ApplyAsync(RunControl control, RunControlRequest request, ILogger logger)
    {
        var reason = $"'lute {request.Verb}' from {request.AskedBy}";
        switch (request.Verb)
        {
            case "stop":
                await control.StopAsync(reason).ConfigureAwait(false);
                break;
            case "continue":
                await control.ContinueAsync(reason).ConfigureAwait(false);
                break;
            case "cancel" when control.Cancelled.IsCancellationRequested:
                control.Force(reason);
                break;
            case "cancel":
                control.Cancel(reason);
                break;
            default:
                LogUnknown(logger, request.Verb);
                break;
        }
    }

    [LoggerMessage(EventId = 406, Level = LogLevel.Warning, Message = "A request through the result store to '{Verb}' the task is not one this runner knows; ignored")]
    private static partial void LogUnknown(ILogger logger, string verb);

    [LoggerMessage(EventId = 407, Level = LogLevel.Warning, Message = "Control from other hosts: {Problem}")]
    private static partial void LogProblem(ILogger logger, string problem);
}
