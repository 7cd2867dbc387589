using System.ComponentModel;
using System.Diagnostics;

namespace Lute.Cli;

/// <summary>Runs a program to its end with a time limit, feeding it standard input and collecting its output.</summary>
internal static class ExternalProgram
{
    /// <summary>What a program printed and how it ended.</summary>
    public sealed record Outcome(int ExitCode, string Output, string Errors)
    {
        public bool Succeeded => ExitCode == 0;
    }

    /// <summary>Runs the program.</summary>
    /// <exception cref="ExternalProgramException">It cannot be started or does not end within the limit.</exception>
    public static async Task<Outcome> RunAsync(string program, IReadOnlyList<string> arguments, string? input, TimeSpan? limit, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new ExternalProgramException($"cannot run {program}: {e.Message} (is it installed and on PATH?)", e);
        }

        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        process.StandardInput.Close();
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (limit is { } time)
        {
            bound.CancelAfter(time);
        }

        try
        {
            await process.WaitForExitAsync(bound.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new ExternalProgramException($"{program} {string.Join(' ', arguments)} gave no answer within {limit!.Value.TotalSeconds:0.#}s (is slurmctld reachable?)");
        }

        return new Outcome(process.ExitCode, await output.ConfigureAwait(false), await errors.ConfigureAwait(false));
    }
}

/// <summary>An external program could not be run or did not answer in time.</summary>
internal sealed class ExternalProgramException(string message, Exception? innerException = null) : Exception(message, innerException);
