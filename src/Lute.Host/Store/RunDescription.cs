using System.Globalization;

namespace Lute.Host.Store;

/// <summary>
/// What a run's description shows, in order, the one list <c>lute show</c> and the dashboard's run page both print:
/// the one-line fields (value null: none), then the stored JSON columns (null: the section is left out or shown empty,
/// as each printer does).
/// </summary>
public static class RunDescription
{
    /// <summary>The one-line fields, by their label.</summary>
    /// <param name="run">The run.</param>
    public static IReadOnlyList<(string Key, string? Value)> Fields(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return
        [
            ("run", run.Id.ToString(CultureInfo.InvariantCulture)),
            ("task", run.TaskFullName is { } full ? $"{run.Task} (as given: {full})" : run.Task),
            ("description", run.Description),
            ("task file", run.TaskFile),
            ("executor", run.Executor),
            ("experiment", run.Experiment),
            ("exp. run", run.ExperimentRun),
            ("status", run.EndedAt is null ? $"{run.Status.ToString().ToUpperInvariant()} (not finished: still running, or its runner died)" : run.Status.ToString().ToUpperInvariant()),
            ("exit code", run.ExitCode?.ToString(CultureInfo.InvariantCulture)),
            ("signal", run.Signal?.ToString(CultureInfo.InvariantCulture)),
            ("reason", run.Reason),
            ("launch failed", run.LaunchFailed ? "yes" : "no"),
            ("started", run.StartedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)),
            ("ended", run.EndedAt?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)),
            ("duration", run.Duration is { } d ? d.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s" : null),
            ("host", run.Host),
            ("runner pid", run.RunnerPid.ToString(CultureInfo.InvariantCulture)),
            ("task pid", run.TaskPid?.ToString(CultureInfo.InvariantCulture)),
            ("work dir", run.WorkDirectory),
            ("log", run.LogPath),
            ("report", run.ReportPath),
        ];
    }

    /// <summary>
    /// The JSON columns as the store keeps them (<see cref="StoredJson"/>), in the order they are read; hook errors and
    /// undelivered requests only when there are some.
    /// </summary>
    /// <param name="run">The run.</param>
    public static IReadOnlyList<(string Key, string? Json)> JsonSections(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var sections = new List<(string, string?)>
        {
            ("command", StoredJson.List(run.Command)),
            ("parameters", StoredJson.Map(run.Parameters)),
            ("environment", StoredJson.Environment(run.Environment)),
            ("communicators", run.Communicators.Count == 0 ? null : StoredJson.List(run.Communicators)),
            // Recorded at launch, even when the executor gave none: only a run never launched has no details at all.
            ("details", run.Details.Count == 0 && run.Communicators.Count == 0 ? null : StoredJson.Map(run.Details)),
            ("summary", run.Summary.Count == 0 ? null : StoredJson.Map(run.Summary)),
            ("payload", run.Payload is { } payload ? StoredJson.Value(payload) : null),
            ("metadata", run.Metadata.Count == 0 ? null : StoredJson.Values(run.Metadata)),
        };
        if (run.HookErrors.Count > 0)
        {
            sections.Add(("hook errors", StoredJson.HookErrors(run.HookErrors)));
        }

        if (run.Undelivered.Count > 0)
        {
            sections.Add(("undelivered", StoredJson.Undelivered(run.Undelivered)));
        }

        return sections;
    }
}
