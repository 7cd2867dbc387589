using Lute.Contracts;
using Microsoft.Extensions.Logging;

namespace Lute.Executors.Slurm;

/// <summary>
/// A task running as a SLURM job step under <c>srun</c> (which leads a local session of its own). Signals go to the
/// step through <c>scancel --signal</c> once it runs (to srun before that); the kill is <c>scancel</c> of the step, of
/// the job when srun made the allocation, and of srun's local session.
/// </summary>
internal sealed partial class SrunExecution(
    ProcessGroupExecution srun,
    SrunOutputWatcher watcher,
    Scancel scancel,
    bool ownAllocation,
    Dictionary<string, string> details,
    ILogger logger) : IRankLabelledExecution
{
    private static readonly TimeSpan OutputGrace = TimeSpan.FromSeconds(5);
    private StepStart? _step;
    private int _disposed;

    public int ProcessId => srun.ProcessId;

    public Stream StandardOutput => srun.StandardOutput;

    public Stream StandardError => watcher.Output;

    public IReadOnlyDictionary<string, string> Details => details;

    /// <summary>srun runs with <c>--label</c>.</summary>
    public RankLabelFormat RankLabels => RankLabelFormat.Srun;

    /// <summary>Records where the step runs.</summary>
    public void Started(StepStart step)
    {
        _step = step;
        details["slurm_job_id"] = step.Job;
        details["slurm_step_id"] = $"{step.Job}.{step.Step}";
        details["slurm_nodes"] = step.Nodes;
        // Should the runner die, its guard cancels the step (and the allocation srun made) after ending srun.
        srun.Guard?.AddCleanup(scancel.Command(["--quiet", $"{step.Job}.{step.Step}"]));
        if (ownAllocation)
        {
            srun.Guard?.AddCleanup(scancel.Command(["--quiet", step.Job]));
        }
    }

    public async Task<ProcessExit> WaitForExitAsync(CancellationToken cancellationToken = default)
    {
        var exit = await srun.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        // srun's last messages (time limit, cancellation) arrive on its standard error just before it exits.
        await Task.WhenAny(watcher.Completion, Task.Delay(OutputGrace, cancellationToken)).ConfigureAwait(false);
        var step = details.GetValueOrDefault("slurm_step_id", "?");
        if (watcher.TimeLimitReached)
        {
            // Recorded for the reader of the run; the runner reads the typed outcome.
            details["engine_outcome"] = "timed_out";
            return exit with { EngineError = $"SLURM ended step {step} at its time limit", EngineOutcome = EngineOutcome.TimedOut };
        }

        if (watcher.CancelledBySlurm && !exit.Succeeded)
        {
            details["engine_outcome"] = "cancelled";
            return exit with { EngineError = $"SLURM cancelled step {step} (scancel, or its node failed)", EngineOutcome = EngineOutcome.Cancelled };
        }

        // A failed task makes srun end the others (--kill-on-bad-exit), and srun then reports their signal: the
        // failed task's own exit code tells more.
        return watcher.FailedTaskExitCode is { } code && code != 0 ? new ProcessExit(code, null) : exit;
    }

    public async ValueTask SignalAsync(TaskSignal signal, CancellationToken cancellationToken = default)
    {
        if (srun.HasExited)
        {
            // The step ended with srun; only local leftovers can remain.
            await srun.SignalAsync(signal, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (_step is not { } step)
        {
            // Still waiting for an allocation: srun revokes its request on SIGTERM; the kill ends srun itself.
            await srun.SignalAsync(signal == TaskSignal.Kill ? TaskSignal.Kill : TaskSignal.Terminate, cancellationToken).ConfigureAwait(false);
            return;
        }

        var id = $"{step.Job}.{step.Step}";
        await scancel.RunAsync(["--quiet", $"--signal={Name(signal)}", id], cancellationToken).ConfigureAwait(false);
        if (signal == TaskSignal.Kill)
        {
            await EndAllocationAsync(step, cancellationToken).ConfigureAwait(false);
            await srun.SignalAsync(TaskSignal.Kill, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (_step is { } step && !srun.HasExited)
        {
            LogLeftover(logger, step.Job, step.Step);
            await scancel.RunAsync(["--quiet", $"{step.Job}.{step.Step}"], CancellationToken.None).ConfigureAwait(false);
            await EndAllocationAsync(step, CancellationToken.None).ConfigureAwait(false);
        }

        await srun.DisposeAsync().ConfigureAwait(false);
    }

    private async Task EndAllocationAsync(StepStart step, CancellationToken cancellationToken)
    {
        if (ownAllocation)
        {
            await scancel.RunAsync(["--quiet", step.Job], cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Name(TaskSignal signal) => signal switch
    {
        TaskSignal.HangUp => "HUP",
        TaskSignal.Interrupt => "INT",
        TaskSignal.Kill => "KILL",
        TaskSignal.User1 => "USR1",
        TaskSignal.User2 => "USR2",
        TaskSignal.Terminate => "TERM",
        TaskSignal.Continue => "CONT",
        TaskSignal.Stop => "STOP",
        _ => throw new ArgumentOutOfRangeException(nameof(signal), signal, null),
    };

    [LoggerMessage(EventId = 311, Level = LogLevel.Warning, Message = "srun still runs at the end of the run: cancelling step {Job}.{Step}")]
    private static partial void LogLeftover(ILogger logger, string job, string step);
}
