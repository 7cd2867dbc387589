using System.Globalization;

namespace Lute.Tests.Support;

/// <summary>Reads /proc to tell whether processes are alive (a zombie counts as dead).</summary>
internal static partial class ProcessTable
{
    public static bool IsAlive(int pid)
    {
        var state = State(pid);
        return state is not null and not 'Z' and not 'X';
    }

    /// <summary>The state letter of a process (R, S, T, Z...), or null when it does not exist.</summary>
    public static char? State(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name is in parentheses and may contain spaces; the state follows the last ')'.
            return stat[stat.LastIndexOf(')') + 2];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Waits until the kernel shows <paramref name="pid"/> in a state that <paramref name="wanted"/> accepts, and
    /// returns that state (or the last one seen after <paramref name="timeout"/>). A signal is delivered when the target
    /// next runs, and /proc offers no event for it, so this looks every 10 ms, within a bound.
    /// </summary>
    public static async Task<char?> WaitForStateAsync(int pid, Func<char?, bool> wanted, TimeSpan timeout)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        var deadline = DateTime.UtcNow + timeout;
        var state = State(pid);
        while (!wanted(state) && DateTime.UtcNow < deadline && await timer.WaitForNextTickAsync())
        {
            state = State(pid);
        }

        return state;
    }

    /// <summary>Processes whose process group is <paramref name="group"/>, alive.</summary>
    public static IReadOnlyList<int> InGroup(int group)
    {
        var members = new List<int>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[0] is not "Z" and not "X" && int.Parse(fields[2], CultureInfo.InvariantCulture) == group)
                {
                    members.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }

        return members;
    }

    /// <summary>Sends SIGKILL to a task's process group (never to this test's own group, nor to -1).</summary>
    public static void KillGroup(int group)
    {
        if (group <= 1 || group == Environment.ProcessId || InGroup(group).Contains(Environment.ProcessId))
        {
            throw new ArgumentOutOfRangeException(nameof(group), group, "refusing to kill this process group");
        }

        _ = Kill(-group, 9);
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    public static int ReadPid(string file) => int.Parse(File.ReadAllText(file).Trim(), CultureInfo.InvariantCulture);
}
