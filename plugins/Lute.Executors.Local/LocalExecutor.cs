using Lute.Contracts;
using Microsoft.Extensions.Logging;

namespace Lute.Executors.Local;

/// <summary>
/// Runs a task as a child process of the runner, as leader of its own process group (through <c>setsid</c>), so
/// that signals, cancellation and time limits reach the task and every process it starts.
/// </summary>
[LuteComponent("local", Description = "runs the task on this machine in its own process group")]
internal sealed partial class LocalExecutor(ILogger<LocalExecutor> logger) : IExecutor
{
    /// <inheritdoc />
    public Task<IExecution> LaunchAsync(LaunchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        if (request.Resources.Count > 0)
        {
            throw new LaunchException(
                request.Command[0],
                $"the local executor takes no resources, but the task asks for {string.Join(", ", request.Resources.Keys)}; use executor mpi or slurm-srun, or remove 'resources'");
        }

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
