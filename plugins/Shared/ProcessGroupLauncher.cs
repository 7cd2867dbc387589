using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Lute.Contracts;
using Microsoft.Extensions.Logging;

namespace Lute.Executors;

/// <summary>
/// Starts a program as the leader of a new session and process group (through <c>setsid</c>) with exactly the
/// task's environment, working directory and standard input, so that signals reach it and everything it starts.
/// </summary>
internal static class ProcessGroupLauncher
{
    /// <summary>Rejects what no program can receive: NUL characters in arguments or the environment.</summary>
    public static void Validate(LaunchRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Command.FirstOrDefault(a => a.Contains('\0', StringComparison.Ordinal)) is { } badArgument)
        {
            throw new LaunchException(request.Command[0], $"argument '{badArgument.Replace("\0", "\\0", StringComparison.Ordinal)}' contains a NUL character, which no program can receive");
        }

        if (request.Environment.FirstOrDefault(e => e.Key.Contains('\0', StringComparison.Ordinal) || e.Value.Contains('\0', StringComparison.Ordinal)) is { Key: { } badVariable })
        {
            throw new LaunchException(request.Command[0], $"environment variable '{badVariable}' contains a NUL character, which no program can receive");
        }

        if (!Directory.Exists(request.WorkingDirectory))
        {
            throw new LaunchException(request.Command[0], $"the working directory '{request.WorkingDirectory}' does not exist");
        }
    }

    /// <summary>Starts <paramref name="arguments"/> (program first, already located) in a new process group.</summary>
    /// <param name="arguments">The program and its arguments.</param>
    /// <param name="request">The launch request: environment, working directory, standard input.</param>
    /// <param name="environment">The environment to start with; the request's when null.</param>
    /// <param name="details">Facts to record; the process id and group are added.</param>
    /// <param name="logger">Where the execution logs.</param>
    public static ProcessGroupExecution Start(
        IReadOnlyList<string> arguments,
        LaunchRequest request,
        IReadOnlyDictionary<string, string>? environment,
        Dictionary<string, string> details,
        ILogger logger)
    {
        environment ??= request.Environment;
        var setsid = ProgramLocator.Find("setsid", environment, request.WorkingDirectory, fallback: "/usr/bin/setsid");
        var start = new ProcessStartInfo(setsid)
        {
            WorkingDirectory = request.WorkingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = request.StandardInput == StandardInputMode.Closed,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new LaunchException(arguments[0], $"the system did not start '{arguments[0]}'");
        }
        catch (Win32Exception e)
        {
            throw new LaunchException(arguments[0], $"cannot start '{arguments[0]}': {e.Message}", e);
        }

        if (start.RedirectStandardInput)
        {
            process.StandardInput.Close();
        }

        details["pid"] = process.Id.ToString(CultureInfo.InvariantCulture);
        details["pgid"] = details["pid"];
        var guard = RunnerDeathGuard.Start(process.Id, environment, request.WorkingDirectory, logger);
        return new ProcessGroupExecution(process, guard, details, logger);
    }
}
