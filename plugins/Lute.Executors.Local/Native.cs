using System.Runtime.InteropServices;
using Lute.Contracts;

namespace Lute.Executors.Local;

/// <summary>The POSIX calls the local executor needs (Linux signal numbers).</summary>
internal static partial class Native
{
    private const int NoSuchProcess = 3; // ESRCH

    /// <summary>Sends <paramref name="signal"/> to every process of the group led by <paramref name="processGroup"/>.</summary>
    /// <returns>False when the group no longer exists.</returns>
    public static bool SignalGroup(int processGroup, TaskSignal signal)
    {
        if (processGroup <= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(processGroup), processGroup, "not a task's process group");
        }

        if (Kill(-processGroup, Number(signal)) == 0)
        {
            return true;
        }

        var error = Marshal.GetLastPInvokeError();
        return error == NoSuchProcess
            ? false
            : throw new InvalidOperationException($"kill(-{processGroup}, {signal}) failed with errno {error}");
    }

    public static int Number(TaskSignal signal) => signal switch
    {
        TaskSignal.HangUp => 1,
        TaskSignal.Interrupt => 2,
        TaskSignal.Kill => 9,
        TaskSignal.User1 => 10,
        TaskSignal.User2 => 12,
        TaskSignal.Terminate => 15,
        TaskSignal.Continue => 18,
        // SIGSTOP, not SIGTSTP: the task leads its own session, so its process group is orphaned and the
        // kernel discards SIGTSTP sent to it.
        TaskSignal.Stop => 19,
        _ => throw new ArgumentOutOfRangeException(nameof(signal), signal, null),
    };

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
