using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Lute.Executors.Slurm;

/// <summary>Runs <c>scancel</c>, bounded in time: client commands wait a long time when slurmctld is unreachable.</summary>
internal sealed partial class Scancel(string program, IReadOnlyDictionary<string, string> environment, TimeSpan limit, ILogger logger)
{
    /// <summary>The scancel command line with these arguments, for another process to run.</summary>
    public IReadOnlyList<string> Command(IReadOnlyList<string> arguments) => [program, .. arguments];

    /// <summary>Runs scancel with the arguments; false (logged) when it fails, times out or cannot start.</summary>
    public async Task<bool> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
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

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            LogFailed(logger, string.Join(' ', arguments), e.Message);
            return false;
        }

        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(limit);
        try
        {
            await process.WaitForExitAsync(bound.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            LogFailed(logger, string.Join(' ', arguments), $"no answer within {limit.TotalSeconds:0.#}s (is slurmctld reachable?)");
            return false;
        }

        await output.ConfigureAwait(false);
        var message = (await errors.ConfigureAwait(false)).Trim();
        if (process.ExitCode != 0)
        {
            if (message.Length > 0)
            {
                LogFailed(logger, string.Join(' ', arguments), message);
            }
            else
            {
                // With --quiet, a step or job that has just ended is a silent exit code 1.
                LogAlreadyEnded(logger, string.Join(' ', arguments));
            }

            return false;
        }

        return true;
    }

    [LoggerMessage(EventId = 312, Level = LogLevel.Debug, Message = "scancel {Arguments}: nothing to signal (already ended)")]
    private static partial void LogAlreadyEnded(ILogger logger, string arguments);

    [LoggerMessage(EventId = 310, Level = LogLevel.Warning, Message = "scancel {Arguments} failed: {Problem}")]
    private static partial void LogFailed(ILogger logger, string arguments, string problem);
}
