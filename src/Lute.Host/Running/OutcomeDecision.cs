using System.Globalization;
using Lute.Contracts;

namespace Lute.Host.Running;

/// <summary>The one place a run's outcome is decided, from the facts its phases collected. Pure: no clock, no I/O.</summary>
internal static class OutcomeDecision
{
    /// <summary>
    /// Decides status, reason and launch failure. In order: a failed launch; the runner's time limit; a cancellation;
    /// a tasklet or runner failure that kept the task from launching; the engine's own time limit, cancellation or
    /// failure; a signal; a non-zero exit code; what the task reported; a failed "after" tasklet or a runner error.
    /// A critical hook's failure overrides all of it (FAILED with the hook's reason), keeping whether the launch failed.
    /// </summary>
    /// <param name="facts">What the phases found out.</param>
    /// <returns>The outcome.</returns>
    public static Outcome Decide(RunFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var failure = facts.TaskletFailure ?? facts.RunnerError;
        var decided = facts switch
        {
            { LaunchError: { } error } => new Outcome(RunStatus.Failed, error, true),
            { Cause: EndCause.TimedOut } => new Outcome(RunStatus.TimedOut, TimedOut(facts.Timeout), false),
            { Cause: EndCause.Cancelled } => new Outcome(RunStatus.Cancelled, facts.CancelReason ?? "cancelled", false),
            { Exit: null } when failure is not null => new Outcome(RunStatus.Failed, failure, false),
            { Exit: { EngineError: { } engine, EngineOutcome: EngineOutcome.TimedOut } } => new Outcome(RunStatus.TimedOut, engine, false),
            { Exit: { EngineError: { } engine, EngineOutcome: EngineOutcome.Cancelled } } => new Outcome(RunStatus.Cancelled, engine, false),
            { Exit.EngineError: { } engine } => new Outcome(RunStatus.Failed, engine, true),
            { Exit.Signal: { } signal } => new Outcome(RunStatus.Failed, $"killed by {SignalNames.Of(signal)}" + Also(facts.TaskFailure), false),
            { Exit.ExitCode: { } code } when code != 0 => new Outcome(RunStatus.Failed, string.Create(CultureInfo.InvariantCulture, $"exit code {code}") + Also(facts.TaskFailure), false),
            { TaskFailure: { } reported } => new Outcome(RunStatus.Failed, $"the task reported a failure: {reported}", false),
            { TaskCancelled: true } => new Outcome(RunStatus.Cancelled, "the task reported that it cancelled its work", false),
            _ when failure is not null => new Outcome(RunStatus.Failed, failure, false),
            _ => new Outcome(RunStatus.Completed, null, false),
        };

        return facts.CriticalHookFailure is { } critical ? decided with { Status = RunStatus.Failed, Reason = critical } : decided;
    }

    private static string TimedOut(TimeSpan? limit) =>
        string.Create(CultureInfo.InvariantCulture, $"exceeded its time limit of {(limit ?? TimeSpan.Zero).TotalSeconds:0.###}s");

    private static string Also(string? failure) => failure is null ? string.Empty : $"; the task reported: {failure}";
}
