using System.Diagnostics;
using Lute.Contracts;

namespace Lute.Host.Running;

/// <summary>
/// The run's spans, on the <c>Lute</c> activity source: one per run, with children for its tasklets, its hook calls and
/// the task. Nothing is created unless something listens (the OTLP export of <c>lute run</c>, turned on by the standard
/// OTEL_* variables): <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> then returns null.
/// </summary>
internal static class RunTraces
{
    /// <summary>The name of the activity source.</summary>
    public const string SourceName = "Lute";

    /// <summary>The W3C trace-context variable the task gets: its span's <c>traceparent</c>.</summary>
    public const string TraceParentVariable = "TRACEPARENT";

    private static readonly ActivitySource Source = new(SourceName, typeof(RunTraces).Assembly.GetName().Version?.ToString());

    /// <summary>
    /// The run's span; its parent is the <c>TRACEPARENT</c> lute was started with, if any (a workflow that traces its
    /// own steps sees its runs as children).
    /// </summary>
    public static Activity? StartRun(PreparedRun prepared, IReadOnlyDictionary<string, string> environment)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        ActivityContext.TryParse(environment.GetValueOrDefault(TraceParentVariable), null, out var parent);
        var activity = Source.StartActivity($"run {prepared.Task.Name}", ActivityKind.Internal, parent);
        activity?.SetTag("lute.task", prepared.Task.Name);
        activity?.SetTag("lute.executor", prepared.ExecutorName);
        return activity;
    }

    /// <summary>The task's span: a child of the run's, started but not made current (hooks and tasklets stay the run's children).</summary>
    public static Activity? StartTask(RunInfo run)
    {
        var current = Activity.Current;
        var activity = Source.StartActivity($"task {run.TaskName}");
        Activity.Current = current;
        return activity;
    }

    /// <summary>A tasklet's span.</summary>
    public static Activity? StartTasklet(string phase, string name) => Source.StartActivity($"tasklet {phase} {name}");

    /// <summary>A hook call's span.</summary>
    public static Activity? StartHook(string hook, string eventName) => Source.StartActivity($"hook {hook} {eventName}");

    /// <summary>Notes how the run ended on its span.</summary>
    public static void Ended(Activity? run, RunResult result)
    {
        if (run is null)
        {
            return;
        }

        run.SetTag("lute.run_id", result.Run.RunId);
        run.SetTag("lute.status", result.Status.ToString().ToUpperInvariant());
        run.SetStatus(result.Status == RunStatus.Completed ? ActivityStatusCode.Ok : ActivityStatusCode.Error, result.Reason);
    }

    /// <summary>Marks a failed call on its span.</summary>
    public static void Failed(Activity? activity, string reason) => activity?.SetStatus(ActivityStatusCode.Error, reason);
}
