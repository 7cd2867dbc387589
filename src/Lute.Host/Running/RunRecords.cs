using Lute.Contracts;
using Lute.Host.Configuration;
using Lute.Host.Store;

namespace Lute.Host.Running;

/// <summary>What the runner gives the recorder at each moment of a run, with every secret masked.</summary>
internal static class RunRecords
{
    /// <summary>The run as it starts (before the communicators and the launch).</summary>
    public static NewRun Started(PreparedRun prepared, DateTimeOffset startedAt) => new()
    {
        Task = TaskNames.Base(prepared.Task.Name),
        TaskFullName = TaskNames.Base(prepared.Task.Name) == prepared.Task.Name ? null : prepared.Task.Name,
        Description = prepared.Task.Description,
        TaskFile = prepared.File.Path,
        Executor = prepared.ExecutorName,
        Experiment = prepared.File.Header.Experiment,
        ExperimentRun = prepared.File.Header.Run,
        StartedAt = startedAt,
        Host = System.Environment.MachineName,
        RunnerPid = System.Environment.ProcessId,
        Command = prepared.Command.Select(prepared.Redactor.Redact).ToList(),
        Parameters = new SortedDictionary<string, string>(
            prepared.Parameters.ToDictionary(p => p.Key, p => prepared.Redactor.Redact(p.Value)), StringComparer.Ordinal),
        Environment = prepared.Redactor.Redact(prepared.EnvironmentChanges),
        WorkDirectory = prepared.WorkingDirectory,
    };

    /// <summary>The run once its task is launched.</summary>
    public static LaunchedRun Launched(
        PreparedRun prepared, IExecution execution, IReadOnlyDictionary<string, string> details, IReadOnlyList<ICommunicatorSession> sessions, LaunchEnvironment environment, string logPath) => new()
    {
        TaskPid = execution.ProcessId,
        Details = details,
        Communicators = sessions.Select(s => s.Description).ToList(),
        LogPath = logPath,
        Environment = prepared.Redactor.Redact(environment.Changes),
    };

    /// <summary>The run's outcome, with what the run's events left in <paramref name="state"/>.</summary>
    public static FinishedRun Finished(RunResult result, string logPath, RunState state) => new()
    {
        Status = result.Status,
        ExitCode = result.ExitCode,
        Signal = result.Signal,
        Reason = result.Reason,
        LaunchFailed = result.LaunchFailed,
        EndedAt = result.EndedAt,
        Summary = result.Summary,
        Payload = result.Payload,
        Metadata = state.Metadata(),
        Details = result.Details,
        LogPath = logPath,
        ReportPath = result.ReportPath,
        Undelivered = state.Undelivered(),
        HookErrors = state.HookErrors(),
    };
}
