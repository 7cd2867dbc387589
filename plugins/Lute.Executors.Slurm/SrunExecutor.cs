using System.Globalization;
using Lute.Contracts;
using Microsoft.Extensions.Logging;

namespace Lute.Executors.Slurm;

/// <summary>
/// Runs a task as a SLURM job step with <c>srun</c>: inside the current allocation when <c>SLURM_JOB_ID</c> is set,
/// otherwise in an allocation srun requests for it. The task's resources become srun options; launch returns once
/// the step's first rank has started, so a step SLURM refuses (bad partition, no resources) is a launch failure with
/// SLURM's own message.
/// </summary>
[LuteComponent("slurm-srun", Description = "runs the task as a SLURM job step with srun", Settings = typeof(SrunSettings))]
internal sealed partial class SrunExecutor(ILogger<SrunExecutor> logger) : IExecutor, IResourceCheck
{
    /// <summary>Resource keys and the srun options they become.</summary>
    internal static readonly IReadOnlyDictionary<string, string> Options = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ntasks"] = "--ntasks",
        ["nodes"] = "--nodes",
        ["ntasks-per-node"] = "--ntasks-per-node",
        ["cpus-per-task"] = "--cpus-per-task",
        ["gpus"] = "--gpus",
        ["mem"] = "--mem",
        ["time"] = "--time",
        ["partition"] = "--partition",
        ["account"] = "--account",
        ["qos"] = "--qos",
        ["constraint"] = "--constraint",
        ["job-name"] = "--job-name",
    };

    /// <summary>How long srun gets to withdraw a queued request after SIGTERM before it is killed.</summary>
    private static readonly TimeSpan WithdrawLimit = TimeSpan.FromSeconds(10);

    /// <summary>The resource key for free-form srun arguments (one line, split at spaces).</summary>
    internal const string ExtraArguments = "args";

    /// <summary>
    /// Run by the step's every rank: the first writes the start line (job, step, nodes) to standard error, then each
    /// becomes the task's program.
    /// </summary>
    private const string StepScript =
        $$"""if [ "${SLURM_PROCID:-0}" = 0 ]; then printf '{{SrunOutputWatcher.Marker}} %s %s %s\n' "$SLURM_JOB_ID" "$SLURM_STEP_ID" "${SLURM_STEP_NODELIST:-$SLURM_JOB_NODELIST}" >&2; fi; exec "$@" """;

    /// <inheritdoc />
    public IReadOnlyList<ResourceProblem> CheckResources(IReadOnlyDictionary<string, string> resources, PluginSettings settings)
    {
        ArgumentNullException.ThrowIfNull(resources);
        return SrunResources.Check(resources);
    }

    /// <inheritdoc />
    public async Task<IExecution> LaunchAsync(LaunchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        ProcessGroupLauncher.Validate(request);
        var settings = SrunSettings.From(request.Settings);
        var srunProgram = ProgramLocator.Find(settings.Srun, request.Environment, request.WorkingDirectory);
        var arguments = new List<string> { srunProgram, "--label", "--kill-on-bad-exit=1" };
        arguments.AddRange(ResourceArguments(request.Resources, srunProgram));
        if (!request.Resources.ContainsKey("job-name"))
        {
            arguments.Add($"--job-name={request.Run.TaskName}");
        }

        arguments.AddRange(settings.Args);
        arguments.AddRange(["bash", "-c", StepScript, "lute-step", request.Command[0]]);
        arguments.AddRange(request.Command.Skip(1));

        var environment = StepEnvironment(request.Environment, settings.KeepEnv);
        var ownAllocation = !environment.ContainsKey("SLURM_JOB_ID");
        var details = new Dictionary<string, string> { ["allocation"] = ownAllocation ? "own" : $"job {environment["SLURM_JOB_ID"]}", ["output_labels"] = "srun" };
        var scancel = new Scancel(
            ProgramLocator.Find(settings.Scancel, request.Environment, request.WorkingDirectory),
            environment,
            TimeSpan.FromSeconds(settings.ScancelTimeoutSeconds),
            logger);

        var srun = ProcessGroupLauncher.Start(arguments, request, environment, details, logger);
        var watcher = new SrunOutputWatcher(srun.StandardError, job => LogQueued(logger, job));
        var execution = new SrunExecution(srun, watcher, scancel, ownAllocation, details, logger);
        LogSubmitted(logger, string.Join(' ', arguments.Take(arguments.Count - request.Command.Count - 4)), srun.ProcessId);
        try
        {
            var exited = srun.WaitForExitAsync(cancellationToken);
            await Task.WhenAny(watcher.Started, exited).ConfigureAwait(false);
            if (!watcher.Started.IsCompleted)
            {
                // srun ended first; its start line may still be on its way through the pipe.
                await exited.ConfigureAwait(false);
                await Task.WhenAny(watcher.Started, watcher.Completion).ConfigureAwait(false);
            }

            if (!watcher.Started.IsCompleted)
            {
                var exit = await exited.ConfigureAwait(false);
                var errors = watcher.Errors;
                throw new LaunchException(srunProgram, errors.Count > 0
                    ? $"srun failed before the task started: {string.Join(" | ", errors)}"
                    : $"srun ended (exit code {exit.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none"}, signal {exit.Signal?.ToString(CultureInfo.InvariantCulture) ?? "none"}) before the task started");
            }
        }
        catch (OperationCanceledException)
        {
            // Cancelled while waiting for an allocation: srun withdraws the request on SIGTERM, given a moment.
            await execution.SignalAsync(TaskSignal.Terminate, CancellationToken.None).ConfigureAwait(false);
            using (var bound = new CancellationTokenSource(WithdrawLimit))
            {
                try
                {
                    await srun.WaitForExitAsync(bound.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    LogWithdrawSlow(logger, WithdrawLimit.TotalSeconds);
                }
            }

            await execution.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        catch (LaunchException)
        {
            await execution.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var step = await watcher.Started.ConfigureAwait(false);
        execution.Started(step);
        LogStarted(logger, step.Job, step.Step, step.Nodes);
        return execution;
    }

    /// <summary>The srun options for the task's resources; the resources are checked first, a problem is a launch failure.</summary>
    internal static IEnumerable<string> ResourceArguments(IReadOnlyDictionary<string, string> resources, string program)
    {
        ResourceRules.ThrowIfAny(SrunResources.Check(resources), program);
        foreach (var (key, option) in Options)
        {
            if (resources.TryGetValue(key, out var value))
            {
                yield return $"{option}={value.Trim()}";
            }
        }

        if (resources.TryGetValue(ExtraArguments, out var extra))
        {
            foreach (var argument in extra.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                yield return argument;
            }
        }
    }

    /// <summary>
    /// The task's environment without the inherited <c>SLURM_*</c> variables, which srun would take as defaults for
    /// this step (task counts, memory, time, job name of an enclosing job). Kept: <c>SLURM_CONF</c>,
    /// <c>SLURM_JOB_ID</c> (so that the step runs inside an enclosing allocation), and what <c>keep_env</c> names.
    /// </summary>
    internal static Dictionary<string, string> StepEnvironment(IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> keep)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in environment)
        {
            if (!key.StartsWith("SLURM_", StringComparison.Ordinal) || key is "SLURM_CONF" or "SLURM_JOB_ID" || keep.Contains(key, StringComparer.Ordinal))
            {
                result[key] = value;
            }
        }

        return result;
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Started {Srun} (pid {Pid}); waiting for the step to start")]
    private static partial void LogSubmitted(ILogger logger, string srun, int pid);

    [LoggerMessage(EventId = 303, Level = LogLevel.Information, Message = "Job {Job} is queued, waiting for resources")]
    private static partial void LogQueued(ILogger logger, string job);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "srun did not end within {Seconds}s of SIGTERM while queued; killing it")]
    private static partial void LogWithdrawSlow(ILogger logger, double seconds);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "Step {Job}.{Step} started on {Nodes}")]
    private static partial void LogStarted(ILogger logger, string job, string step, string nodes);
}
