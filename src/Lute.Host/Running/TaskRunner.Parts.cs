using System.Globalization;
using Lute.Contracts;
using Lute.Host.Logging;
using Lute.Host.Store;
using Microsoft.Extensions.Logging;

namespace Lute.Host.Running;

/// <summary>The small pieces the phases are built from.</summary>
public sealed partial class TaskRunner
{
    private static RunInfo RunInfoOf(PreparedRun prepared, long runId) => new()
    {
        RunId = runId,
        TaskName = prepared.Task.Name,
        Executor = prepared.ExecutorName,
        Experiment = prepared.File.Header.Experiment,
        ExperimentRun = prepared.File.Header.Run,
        WorkDirectory = prepared.WorkingDirectory,
        Parameters = prepared.Parameters,
        Host = System.Environment.MachineName,
    };

    private static string LogFileName(PreparedRun prepared, RecordedStart recorded) =>
        recorded.Recorder is null
            ? $"unrecorded-{recorded.StartedAt.UtcDateTime.ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture)}-{System.Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{SafeFileName(prepared.Task.Name)}.log"
            : $"{recorded.RunId.ToString(CultureInfo.InvariantCulture)}-{SafeFileName(prepared.Task.Name)}.log";

    private static string SafeFileName(string name) =>
        string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));

    private static void ReportProblems(RecordedStart recorded, RunLog log)
    {
        if (recorded.Problem is { } problem)
        {
            LogNotRecorded(log.Runner, problem);
        }

        if (log.FileProblem is { } fileProblem)
        {
            LogNoLogFile(log.Runner, fileProblem);
        }
    }

    private static ValueTask ReportLate(RunEventBus bus, ILogger logger)
    {
        if (bus.Late > 0)
        {
            LogLate(logger, bus.Late);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>What the runner knows of the launch before the executor says anything.</summary>
    private static Dictionary<string, string> InitialDetails()
    {
        var details = new Dictionary<string, string>();
        if (System.Environment.GetEnvironmentVariable("SLURM_JOB_ID") is { Length: > 0 } allocation)
        {
            // The runner itself runs inside a SLURM job (lute submit): `lute status JOB` finds the run by it.
            details["slurm_allocation"] = allocation;
        }

        return details;
    }

    /// <summary>The details so far with the execution's over them (they are read again after the exit).</summary>
    private static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string> details, IExecution? execution)
    {
        var merged = new Dictionary<string, string>(details);
        foreach (var (key, value) in execution?.Details ?? new Dictionary<string, string>())
        {
            merged[key] = value;
        }

        return merged;
    }

    private static LaunchRequest LaunchRequestOf(LiveRun live, LaunchEnvironment environment) => new()
    {
        Run = live.Run,
        Command = live.Prepared.Command,
        WorkingDirectory = live.Prepared.WorkingDirectory,
        Environment = environment.Variables,
        Resources = live.Prepared.Resources,
        StandardInput = live.Prepared.Task.StandardInput,
        CpuAffinity = live.Prepared.Task.CpuAffinity,
        Settings = live.Prepared.ExecutorSettings,
    };

    private static RunResult ResultOf(LiveRun live, RunFacts facts, Outcome outcome) => new()
    {
        Run = live.Run,
        Status = outcome.Status,
        ExitCode = facts.Exit?.ExitCode,
        Signal = facts.Exit?.Signal,
        Reason = outcome.Reason,
        LaunchFailed = outcome.LaunchFailed,
        StartedAt = live.StartedAt,
        EndedAt = DateTimeOffset.UtcNow,
        Summary = live.State.Summary(),
        Payload = live.State.Payload,
        Details = facts.Details,
    };

    /// <summary>Hooks are built for one run (with their binding's settings): release what they hold (HTTP clients...).</summary>
    private static async ValueTask DisposeHooksAsync(PreparedRun prepared, ILogger logger)
    {
        foreach (var (binding, component, _) in prepared.Hooks)
        {
            try
            {
                await Release(component).ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or ObjectDisposedException or LuteException)
            {
                LogHookDisposeFailed(logger, binding.Use, e.Message);
            }
        }
    }

    /// <summary>Disposes what can be disposed.</summary>
    private static ValueTask Release(object? resource)
    {
        switch (resource)
        {
            case IAsyncDisposable asyncDisposable:
                return asyncDisposable.DisposeAsync();
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The first record of the run, or why there is none.</summary>
    private sealed record RecordedStart(IRunRecorder? Recorder, long RunId, DateTimeOffset StartedAt, string? Problem);

    /// <summary>The launched task, or why the executor refused to launch it.</summary>
    private sealed record Launch(IExecution? Execution, string? Error);
}
