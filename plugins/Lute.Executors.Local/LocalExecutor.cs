using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
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

        if (request.Command.FirstOrDefault(a => a.Contains('\0', StringComparison.Ordinal)) is { } badArgument)
        {
            throw new LaunchException(request.Command[0], $"argument '{badArgument.Replace("\0", "\\0", StringComparison.Ordinal)}' contains a NUL character, which no program can receive");
        }

        if (request.Environment.FirstOrDefault(e => e.Key.Contains('\0', StringComparison.Ordinal) || e.Value.Contains('\0', StringComparison.Ordinal)) is { Key: { } badVariable })
        {
            throw new LaunchException(request.Command[0], $"environment variable '{badVariable}' contains a NUL character, which no program can receive");
        }

        var program = ProgramLocator.Find(request.Command[0], request.Environment, request.WorkingDirectory);
        if (!Directory.Exists(request.WorkingDirectory))
        {
            throw new LaunchException(program, $"the working directory '{request.WorkingDirectory}' does not exist");
        }

        var setsid = ProgramLocator.Find("setsid", request.Environment, request.WorkingDirectory, fallback: "/usr/bin/setsid");
        var start = new ProcessStartInfo(setsid)
        {
            WorkingDirectory = request.WorkingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = request.StandardInput == StandardInputMode.Closed,
        };
        var details = new Dictionary<string, string>();
        if (request.CpuAffinity && Environment.ProcessorCount > 1)
        {
            var cpus = $"1-{Environment.ProcessorCount - 1}";
            start.ArgumentList.Add(ProgramLocator.Find("taskset", request.Environment, request.WorkingDirectory, fallback: "/usr/bin/taskset"));
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(cpus);
            details["cpus"] = cpus;
        }

        start.ArgumentList.Add(program);
        foreach (var argument in request.Command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        foreach (var (key, value) in request.Environment)
        {
            start.Environment[key] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new LaunchException(program, $"the system did not start '{program}'");
        }
        catch (Win32Exception e)
        {
            throw new LaunchException(program, $"cannot start '{program}': {e.Message}", e);
        }

        if (start.RedirectStandardInput)
        {
            process.StandardInput.Close();
        }

        details["pid"] = process.Id.ToString(CultureInfo.InvariantCulture);
        details["pgid"] = details["pid"];
        LogLaunched(logger, program, process.Id);
        return Task.FromResult<IExecution>(new LocalExecution(process, details, logger));
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "Launched {Program} as process group {ProcessGroup}")]
    private static partial void LogLaunched(ILogger logger, string program, int processGroup);
}
