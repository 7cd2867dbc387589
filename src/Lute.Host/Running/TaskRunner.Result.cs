using Lute.Contracts;
using Lute.Host.Store;

namespace Lute.Host.Running;

public sealed partial class TaskRunner
{
    private static RunResult Decide(
        RunInfo run,
        DateTimeOffset startedAt,
        ProcessExit? exit,
        EndCause cause,
        string? launchError,
        string? taskletFailure,
        RunControl control,
        RunState state,
        Dictionary<string, string> details,
        PreparedRun prepared)
    {
        var (status, reason, launchFailed) = (exit, cause) switch
        {
            _ when launchError is not null => (RunStatus.Failed, launchError, true),
            (_, EndCause.TimedOut) => (RunStatus.TimedOut, $"exceeded its time limit of {prepared.Timeout!.Value.TotalSeconds:0.###}s", false),
            (_, EndCause.Cancelled) => (RunStatus.Cancelled, control.CancelReason ?? "cancelled", false),
            (null, _) when taskletFailure is not null => (RunStatus.Failed, taskletFailure, false),
            ({ EngineError: { } engine }, _) when details.GetValueOrDefault(ExecutionDetails.EngineOutcome) == ExecutionDetails.TimedOut
                => (RunStatus.TimedOut, engine, false),
            ({ EngineError: { } engine }, _) when details.GetValueOrDefault(ExecutionDetails.EngineOutcome) == ExecutionDetails.Cancelled
                => (RunStatus.Cancelled, engine, false),
            ({ EngineError: { } engine }, _) => (RunStatus.Failed, engine, true),
            ({ Signal: { } signal }, _) => (RunStatus.Failed, $"killed by {SignalNames.Of(signal)}" + Also(state.TaskFailure), false),
            ({ ExitCode: { } code }, _) when code != 0 => (RunStatus.Failed, $"exit code {code}" + Also(state.TaskFailure), false),
            _ when state.TaskFailure is not null => (RunStatus.Failed, $"the task reported a failure: {state.TaskFailure}", false),
            _ when state.TaskCancelled => (RunStatus.Cancelled, "the task reported that it cancelled its work", false),
            _ when taskletFailure is not null => (RunStatus.Failed, taskletFailure, false),
            _ => (RunStatus.Completed, (string?)null, false),
        };

        return new RunResult
        {
            Run = run,
            Status = status,
            ExitCode = exit?.ExitCode,
            Signal = exit?.Signal,
            Reason = reason,
            LaunchFailed = launchFailed,
            StartedAt = startedAt,
            EndedAt = DateTimeOffset.UtcNow,
            Summary = state.Summary(),
            Payload = state.Payload,
            Details = details,
        };

        static string Also(string? failure) => failure is null ? string.Empty : $"; the task reported: {failure}";
    }

    private static FinishedRun Final(RunResult result, string logPath, RunState state) => new()
    {
        Status = result.Status,
        ExitCode = result.ExitCode,
        Signal = result.Signal,
        Reason = result.Reason,
        LaunchFailed = result.LaunchFailed,
        EndedAt = result.EndedAt,
        Summary = result.Summary,
        Payload = result.Payload,
        Details = result.Details,
        LogPath = logPath,
        Metadata = state.Metadata(),
        ReportPath = result.ReportPath,
        Undelivered = state.Undelivered(),
        HookErrors = state.HookErrors(),
    };
}
