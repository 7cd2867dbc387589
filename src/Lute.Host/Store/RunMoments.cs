using Lute.Contracts;
using C = Lute.Host.Store.RunColumns;

namespace Lute.Host.Store;

/// <summary>The moments of a run each store writes, as column lists: every store generates its statements from them.</summary>
internal static class RunMoments
{
    /// <summary>At the start: what is known before launch, as a Pending run.</summary>
    public static readonly RowWrite<NewRun> Started = new(
        new(C.Task, r => r.Task),
        new(C.TaskFullName, r => r.TaskFullName),
        new(C.Description, r => r.Description),
        new(C.TaskFile, r => r.TaskFile),
        new(C.Executor, r => r.Executor),
        new(C.Experiment, r => r.Experiment),
        new(C.ExperimentRun, r => r.ExperimentRun),
        new(C.Status, _ => nameof(RunStatus.Pending)),
        new(C.StartedAt, r => StoredTime.Format(r.StartedAt)),
        new(C.LastSeenAt, r => StoredTime.Format(r.StartedAt)),
        new(C.Host, r => r.Host),
        new(C.RunnerPid, r => r.RunnerPid),
        new(C.Command, r => StoredJson.List(r.Command)),
        new(C.Parameters, r => StoredJson.Map(StoredJson.Sorted(r.Parameters))),
        new(C.Environment, r => StoredJson.Environment(StoredJson.Sorted(r.Environment))),
        new(C.WorkDirectory, r => r.WorkDirectory));

    /// <summary>At launch: Running, with the task's process and what the executor and communicators said of it.</summary>
    public static readonly RowWrite<LaunchedRun> Launched = new(
        new(C.Status, _ => nameof(RunStatus.Running)),
        new(C.TaskPid, r => r.TaskPid),
        // In the executor's order, as it gave them; the end records them sorted.
        new(C.Details, r => StoredJson.Map(r.Details)),
        new(C.Communicators, r => StoredJson.List(r.Communicators)),
        new(C.LogPath, r => r.LogPath),
        new(C.Environment, r => StoredJson.Environment(StoredJson.Sorted(r.Environment))),
        new(C.LastSeenAt, _ => StoredTime.Format(DateTimeOffset.UtcNow)));

    /// <summary>When the task is stopped or continued.</summary>
    public static readonly RowWrite<RunStatus> StatusChanged = new(
        new(C.Status, s => s.ToString()),
        new(C.LastSeenAt, _ => StoredTime.Format(DateTimeOffset.UtcNow)));

    /// <summary>At the end: the outcome; details and log path recorded at launch stay when none are given.</summary>
    public static readonly RowWrite<FinishedRun> Finished = new(
        new(C.Status, r => r.Status.ToString()),
        new(C.ExitCode, r => r.ExitCode),
        new(C.Signal, r => r.Signal),
        new(C.Reason, r => r.Reason),
        new(C.LaunchFailed, r => r.LaunchFailed ? 1 : 0),
        new(C.EndedAt, r => StoredTime.Format(r.EndedAt)),
        new(C.Summary, r => r.Summary.Count == 0 ? null : StoredJson.Map(StoredJson.Sorted(r.Summary))),
        new(C.Payload, r => r.Payload is { } payload ? StoredJson.Value(payload) : null),
        new(C.Metadata, r => r.Metadata.Count == 0 ? null : StoredJson.Values(StoredJson.Sorted(r.Metadata))),
        new(C.Details, r => r.Details.Count == 0 ? null : StoredJson.Map(StoredJson.Sorted(r.Details)), KeepWhenNull: true),
        new(C.LogPath, r => r.LogPath, KeepWhenNull: true),
        new(C.ReportPath, r => r.ReportPath),
        new(C.Undelivered, r => r.Undelivered.Count == 0 ? null : StoredJson.Undelivered(r.Undelivered)),
        new(C.HookErrors, r => r.HookErrors.Count == 0 ? null : StoredJson.HookErrors(r.HookErrors)),
        new(C.LastSeenAt, r => StoredTime.Format(r.EndedAt)));

    /// <summary>When the runner of an unfinished run is found gone.</summary>
    public static readonly RowWrite<Abandoning> Abandoned = new(
        new(C.Status, _ => nameof(RunStatus.Abandoned)),
        new(C.EndedAt, r => StoredTime.Format(r.EndedAt)),
        new(C.Reason, r => r.Reason));

    /// <summary>What marking a run abandoned writes.</summary>
    public sealed record Abandoning(DateTimeOffset EndedAt, string Reason);
}
