using System.Runtime.InteropServices;
using Lute.Contracts;

namespace Lute.Executors;

/// <summary>The POSIX calls the executors need (Linux signal numbers).</summary>
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

    /// <summary>
    /// Sends <paramref name="signal"/> to every process of the session led by <paramref name="session"/>: the
    /// process group and also processes that moved to process groups of their own (mpirun puts each rank in one),
    /// found through <c>/proc</c>.
    /// </summary>
    /// <returns>How many processes were signalled.</returns>
    public static int SignalSession(int session, TaskSignal signal)
    {
        if (session <= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(session), session, "not a task's session");
        }

        // The group in one call (no member forked meanwhile escapes it), then members of other groups one by one.
        var signalled = SignalGroup(session, signal) ? 1 : 0;
        foreach (var pid in MembersOutsideLeaderGroup(session))
        {
            if (pid != Environment.ProcessId && Kill(pid, Number(signal)) == 0)
            {
                signalled++;
            }
        }

        return signalled;
    }

    /// <summary>Kills every process of the session, again until none is left (a process may fork meanwhile).</summary>
    /// <returns>How many processes were killed.</returns>
    public static int KillSession(int session)
    {
        const int Rounds = 10;
        var total = 0;
        for (var round = 0; round < Rounds; round++)
        {
            var killed = SignalSession(session, TaskSignal.Kill);
            if (killed == 0)
            {
                break;
            }

            total += killed;
        }

        return total;
    }

    /// <summary>The effective user id of this process.</summary>
    public static bool IsRoot => GetEffectiveUserId() == 0;

    private static List<int> MembersOutsideLeaderGroup(int session)
    {
        var members = new List<int>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(folder, "stat"));
            }
            catch (IOException)
            {
                continue; // exited meanwhile
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            // pid (comm) state ppid pgrp session ...; comm may hold spaces and parentheses, so parse after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ', 5);
            var id = session.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (fields.Length > 3 && fields[3] == id && fields[2] != id && fields[0] != "Z")
            {
                members.Add(pid);
            }
        }

        return members;
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

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
