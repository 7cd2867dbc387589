using Lute.Contracts;
using Microsoft.Extensions.Logging;

namespace Lute.Executors.Local;

/// <summary>
/// Runs a task as a child process of the runner, as leader of its own process group (through <c>setsid</c>), so
/// that signals, cancellation and time limits reach the task and every process it starts.
/// </summary>
[LuteComponent("local", Description = "runs the task on this machine in its own process group", Settings = typeof(LocalSettings))]
internal sealed partial class LocalExecutor(ILogger<LocalExecutor> logger) : IExecutor, IResourceCheck
{
    /// <inheritdoc />
    public IReadOnlyList<ResourceProblem> CheckResources(IReadOnlyDictionary<string, string> resources, PluginSettings settings)
    {
        ArgumentNullException.ThrowIfNull(resources);
        return [.. ResourceRules.Unknown(resources, [], "local", "remove it from 'resources', or run the task with executor mpi or slurm-srun, which take resources")];
    }

    /// <inheritdoc />
    public Task<IExecution> LaunchAsync(LaunchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        ResourceRules.ThrowIfAny(CheckResources(request.Resources, request.Settings), request.Command[0]);

        ProcessGroupLauncher.Validate(request);
        var program = ProgramLocator.Find(request.Command[0], request.Environment, request.WorkingDirectory);
        var details = new Dictionary<string, string>();
        var arguments = new List<string>();
        // As LUTE: the runner keeps the first CPU of its affinity mask (it pins itself once the task is launched),
        // the task gets the rest of the mask, which may be any set of CPUs (a cpuset, a SLURM allocation).
        if (request.CpuAffinity && CpuSet.Split(CpuSet.Allowed()) is { } split)
        {
            var cpus = CpuSet.Format(split.Task);
            arguments.AddRange([ProgramLocator.Find("taskset", request.Environment, request.WorkingDirectory, fallback: "/usr/bin/taskset"), "-c", cpus]);
            details["cpus"] = cpus;
        }

        arguments.Add(program);
        arguments.AddRange(request.Command.Skip(1));
        var execution = ProcessGroupLauncher.Start(arguments, request, null, details, logger);
        LogLaunched(logger, program, execution.ProcessId);
        return Task.FromResult<IExecution>(execution);
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "Launched {Program} as process group {ProcessGroup}")]
    private static partial void LogLaunched(ILogger logger, string program, int processGroup);
}
