using System.Text.Json;
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

    private static FinalUpdate Final(RunResult result, string logPath, RunState state) => new()
    {
        Status = result.Status,
        ExitCode = result.ExitCode,
        Signal = result.Signal,
        Reason = result.Reason,
        LaunchFailed = result.LaunchFailed,
        EndedAt = result.EndedAt,
        Summary = result.Summary.Count == 0 ? null : JsonSerializer.Serialize(new SortedDictionary<string, string>(result.Summary.ToDictionary(), StringComparer.Ordinal), HostJson.Stored.SortedDictionaryStringString),
        // Written again rather than kept as the task sent it: "\u00e9" escapes and the like become readable text.
        Payload = result.Payload is { } payload ? JsonSerializer.Serialize(payload, HostJson.Stored.JsonElement) : null,
        Details = result.Details.Count == 0 ? null : JsonSerializer.Serialize(new SortedDictionary<string, string>(result.Details.ToDictionary(), StringComparer.Ordinal), HostJson.Stored.SortedDictionaryStringString),
        LogPath = logPath,
        Metadata = state.Metadata() is { Count: > 0 } metadata
            ? JsonSerializer.Serialize(new SortedDictionary<string, JsonElement>(metadata, StringComparer.Ordinal), HostJson.Stored.SortedDictionaryStringJsonElement)
            : null,
        ReportPath = result.ReportPath,
        Undelivered = state.Undelivered() is { Count: > 0 } undelivered ? JsonSerializer.Serialize(undelivered, HostJson.Stored.ListUndeliveredEntry) : null,
        HookErrors = state.HookErrors() is { Count: > 0 } errors ? JsonSerializer.Serialize(errors, HostJson.Stored.ListHookErrorEntry) : null,
    };
}
