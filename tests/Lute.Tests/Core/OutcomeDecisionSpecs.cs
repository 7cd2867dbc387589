using Lute.Contracts;
using Lute.Host.Running;

namespace Lute.Tests.Core;

/// <summary>The one function that decides a run's outcome, as a table: no process, no store, no clock.</summary>
public sealed class OutcomeDecisionSpecs
{
    private static readonly ProcessExit Success = new(0, null);

    private static readonly Dictionary<string, (RunFacts Facts, RunStatus Status, string? Reason, bool LaunchFailed)> Table = new()
    {
        ["exit 0"] = (new RunFacts { Exit = Success }, RunStatus.Completed, null, false),
        ["exit 3"] = (new RunFacts { Exit = new ProcessExit(3, null) }, RunStatus.Failed, "exit code 3", false),
        ["exit 3, task said why"] = (new RunFacts { Exit = new ProcessExit(3, null), TaskFailure = "no beam" }, RunStatus.Failed, "exit code 3; the task reported: no beam", false),
        ["killed by SIGSEGV"] = (new RunFacts { Exit = new ProcessExit(null, 11) }, RunStatus.Failed, "killed by SIGSEGV", false),
        ["killed, task said why"] = (new RunFacts { Exit = new ProcessExit(null, 9), TaskFailure = "oom" }, RunStatus.Failed, "killed by SIGKILL; the task reported: oom", false),
        ["exit 0 but TASK_FAILED"] = (new RunFacts { Exit = Success, TaskFailure = "bad frame" }, RunStatus.Failed, "the task reported a failure: bad frame", false),
        ["exit 0 but TASK_CANCELLED"] = (new RunFacts { Exit = Success, TaskCancelled = true }, RunStatus.Cancelled, "the task reported that it cancelled its work", false),
        ["TASK_FAILED over TASK_CANCELLED"] = (new RunFacts { Exit = Success, TaskFailure = "x", TaskCancelled = true }, RunStatus.Failed, "the task reported a failure: x", false),
        ["launch refused"] = (new RunFacts { LaunchError = "srun: no such partition" }, RunStatus.Failed, "srun: no such partition", true),
        ["launch refused beats cancel"] = (new RunFacts { LaunchError = "refused", Cause = EndCause.Cancelled }, RunStatus.Failed, "refused", true),
        ["runner's time limit"] = (new RunFacts { Exit = new ProcessExit(null, 15), Cause = EndCause.TimedOut, Timeout = TimeSpan.FromSeconds(1.5) }, RunStatus.TimedOut, "exceeded its time limit of 1.5s", false),
        ["time limit beats task failure"] = (new RunFacts { Exit = new ProcessExit(1, null), Cause = EndCause.TimedOut, Timeout = TimeSpan.FromSeconds(2), TaskFailure = "x" }, RunStatus.TimedOut, "exceeded its time limit of 2s", false),
        ["cancelled with a reason"] = (new RunFacts { Exit = new ProcessExit(null, 15), Cause = EndCause.Cancelled, CancelReason = "lute received SIGINT" }, RunStatus.Cancelled, "lute received SIGINT", false),
        ["cancelled without a reason"] = (new RunFacts { Cause = EndCause.Cancelled }, RunStatus.Cancelled, "cancelled", false),
        ["before tasklet failed"] = (new RunFacts { TaskletFailure = "tasklet 'check' failed" }, RunStatus.Failed, "tasklet 'check' failed", false),
        ["after tasklet failed"] = (new RunFacts { Exit = Success, TaskletFailure = "tasklet 'verify' failed" }, RunStatus.Failed, "tasklet 'verify' failed", false),
        ["runner error before launch"] = (new RunFacts { RunnerError = "runner error: socket" }, RunStatus.Failed, "runner error: socket", false),
        ["runner error after a good exit"] = (new RunFacts { Exit = Success, RunnerError = "runner error: disk" }, RunStatus.Failed, "runner error: disk", false),
        ["task's exit code beats runner error"] = (new RunFacts { Exit = new ProcessExit(2, null), RunnerError = "runner error: disk" }, RunStatus.Failed, "exit code 2", false),
        ["tasklet failure beats runner error"] = (new RunFacts { TaskletFailure = "t", RunnerError = "r" }, RunStatus.Failed, "t", false),
        ["engine's time limit"] = (new RunFacts { Exit = new ProcessExit(null, 9, "SLURM ended step 4.0 at its time limit") { EngineOutcome = EngineOutcome.TimedOut } }, RunStatus.TimedOut, "SLURM ended step 4.0 at its time limit", false),
        ["engine cancelled"] = (new RunFacts { Exit = new ProcessExit(null, 15, "SLURM cancelled step 4.0") { EngineOutcome = EngineOutcome.Cancelled } }, RunStatus.Cancelled, "SLURM cancelled step 4.0", false),
        ["engine failed"] = (new RunFacts { Exit = new ProcessExit(1, null, "mpirun could not start rank 3") }, RunStatus.Failed, "mpirun could not start rank 3", true),
        ["engine error beats exit code"] = (new RunFacts { Exit = new ProcessExit(1, 9, "srun: error") }, RunStatus.Failed, "srun: error", true),
        ["critical hook over success"] = (new RunFacts { Exit = Success, CriticalHookFailure = "critical hook 'elog' failed" }, RunStatus.Failed, "critical hook 'elog' failed", false),
        ["critical hook over the cancel it caused"] = (new RunFacts { Exit = new ProcessExit(null, 15), Cause = EndCause.Cancelled, CancelReason = "critical hook 'h' failed", CriticalHookFailure = "critical hook 'h' failed" }, RunStatus.Failed, "critical hook 'h' failed", false),
        ["critical hook keeps the launch failure"] = (new RunFacts { LaunchError = "refused", CriticalHookFailure = "critical" }, RunStatus.Failed, "critical", true),
        ["critical hook over a time-out"] = (new RunFacts { Cause = EndCause.TimedOut, Timeout = TimeSpan.FromSeconds(1), CriticalHookFailure = "c" }, RunStatus.Failed, "c", false),
    };

    public static TheoryData<string> Cases => new(Table.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_outcome_follows_from_the_facts(string name)
    {
        var (facts, status, reason, launchFailed) = Table[name];

        var outcome = OutcomeDecision.Decide(facts);

        Assert.True(new Outcome(status, reason, launchFailed) == outcome, $"{name}: decided {outcome}");
    }

    [Fact]
    public void The_same_facts_always_give_the_same_outcome()
    {
        var facts = new RunFacts { Exit = new ProcessExit(4, null), TaskFailure = "x" };

        Assert.Equal(OutcomeDecision.Decide(facts), OutcomeDecision.Decide(facts with { }));
    }
}
