using System.Diagnostics;
using Lute.Contracts;
using Microsoft.Extensions.Logging;

namespace LuteExecutor;

/// <summary>
/// Named in a task file as <c>executor: lute-component-name</c>: runs the task's command as a child process of
/// the runner, with the task's environment and working directory. Change <see cref="Start"/> to hand the command to
/// your engine (a batch system, a container runtime); lute does the rest: it reads the output, sends the signals for
/// cancel, stop and time limits, and records the exit.
/// </summary>
[LuteComponent("lute-component-name", Description = "runs the task as a child process")]
internal sealed partial class ChildProcessExecutor(ILogger<ChildProcessExecutor> logger) : IExecutor, IResourceCheck
{
    /// <summary>
    /// lute asks before it launches (and <c>lute validate</c> asks without launching): a problem stops the run as bad
    /// input at the resource's line in the task file. Name the resources your engine takes and check their values.
    /// </summary>
    public IReadOnlyList<ResourceProblem> CheckResources(IReadOnlyDictionary<string, string> resources, PluginSettings settings)
    {
        ArgumentNullException.ThrowIfNull(resources);
        return [.. resources.Keys.Order(StringComparer.Ordinal)
            .Select(key => new ResourceProblem(key, "is not a resource lute-component-name takes", "remove it from 'resources'"))];
    }

    /// <inheritdoc />
    public Task<IExecution> LaunchAsync(LaunchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        if (request.Command.Count == 0)
        {
            throw new LaunchException(string.Empty, "the task has no command");
        }

        if (CheckResources(request.Resources, request.Settings) is [var problem, ..])
        {
            throw new LaunchException(request.Command[0], $"resource '{problem.Resource}' {problem.Problem}");
        }

        var process = Start(request);
        LogLaunched(logger, request.Command[0], process.Id);
        return Task.FromResult<IExecution>(new ChildProcessExecution(process, new Dictionary<string, string> { ["launched_by"] = "lute-component-name" }));
    }

    private static Process Start(LaunchRequest request)
    {
        var start = new ProcessStartInfo(request.Command[0])
        {
            WorkingDirectory = request.WorkingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = request.StandardInput == StandardInputMode.Closed,
        };
        foreach (var argument in request.Command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        foreach (var (name, value) in request.Environment)
        {
            start.Environment[name] = value;
        }

        try
        {
            var process = Process.Start(start) ?? throw new LaunchException(request.Command[0], "the process did not start");
            if (start.RedirectStandardInput)
            {
                process.StandardInput.Close();
            }

            return process;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new LaunchException(request.Command[0], $"cannot start {request.Command[0]}: {e.Message}", e);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Launched {Program} as process {ProcessId}")]
    private static partial void LogLaunched(ILogger logger, string program, int processId);
}
