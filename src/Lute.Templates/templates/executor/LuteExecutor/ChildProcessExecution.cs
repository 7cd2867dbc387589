using System.Diagnostics;
using System.Runtime.InteropServices;
using Lute.Contracts;

namespace LuteExecutor;

/// <summary>One launched task: its output streams, its signals and its exit, as lute asks for them.</summary>
internal sealed partial class ChildProcessExecution(Process process, IReadOnlyDictionary<string, string> details) : IExecution
{
    /// <inheritdoc />
    public int ProcessId => process.Id;

    /// <inheritdoc />
    public Stream StandardOutput => process.StandardOutput.BaseStream;

    /// <inheritdoc />
    public Stream StandardError => process.StandardError.BaseStream;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> Details => details;

    /// <inheritdoc />
    public ValueTask SignalAsync(TaskSignal signal, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!process.HasExited && Kill(process.Id, Number(signal)) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            // ESRCH: the process has just ended; anything else is a real failure.
            if (error != 3)
            {
                throw new InvalidOperationException($"kill({process.Id}, {signal}) failed with errno {error}");
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<ProcessExit> WaitForExitAsync(CancellationToken cancellationToken = default)
    {
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        // .NET reports a child killed by signal N as 128 + N, as shells do.
        var code = process.ExitCode;
        return code is > 128 and <= 192 ? new ProcessExit(null, code - 128) : new ProcessExit(code, null);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It ended meanwhile.
        }

        process.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Linux signal numbers.</summary>
    private static int Number(TaskSignal signal) => signal switch
    {
        TaskSignal.HangUp => 1,
        TaskSignal.Interrupt => 2,
        TaskSignal.Kill => 9,
        TaskSignal.User1 => 10,
        TaskSignal.User2 => 12,
        TaskSignal.Terminate => 15,
        TaskSignal.Continue => 18,
        TaskSignal.Stop => 19,
        _ => throw new ArgumentOutOfRangeException(nameof(signal), signal, "unknown signal"),
    };

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
