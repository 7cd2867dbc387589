using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Lute.Executors;

/// <summary>
/// CPU affinity as LUTE does it: the runner keeps the first CPU it may use, the task gets the others. Works from the
/// process's actual affinity mask (<c>sched_getaffinity</c>), so a cpuset such as a SLURM allocation of CPUs 4-7
/// gives the runner CPU 4 and the task 5-7.
/// </summary>
internal static unsafe partial class CpuSet
{
    private const int MaskBytes = 1024 / 8;

    /// <summary>The CPUs the calling thread may run on, in ascending order.</summary>
    public static IReadOnlyList<int> Allowed() => Allowed(0);

    /// <summary>The runner's CPU and the task's CPUs; null when fewer than two CPUs are allowed (nothing to split).</summary>
    public static (int Runner, IReadOnlyList<int> Task)? Split(IReadOnlyList<int> allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        if (allowed.Count < 2)
        {
            return null;
        }

        var sorted = allowed.Order().ToList();
        return (sorted[0], sorted.Skip(1).ToList());
    }

    /// <summary>A CPU list as taskset and /proc write it: <c>1-3,5</c>.</summary>
    public static string Format(IReadOnlyList<int> cpus)
    {
        ArgumentNullException.ThrowIfNull(cpus);
        var text = new StringBuilder();
        var sorted = cpus.Distinct().Order().ToList();
        for (var i = 0; i < sorted.Count; i++)
        {
            var first = sorted[i];
            while (i + 1 < sorted.Count && sorted[i + 1] == sorted[i] + 1)
            {
                i++;
            }

            text.Append(text.Length > 0 ? "," : string.Empty).Append(first.ToString(CultureInfo.InvariantCulture));
            if (sorted[i] != first)
            {
                text.Append('-').Append(sorted[i].ToString(CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    /// <summary>Sets the affinity of every thread of this process (a thread started later inherits its creator's).</summary>
    /// <returns>False when a thread could not be set.</returns>
    public static bool SetForProcess(IReadOnlyList<int> cpus)
    {
        ArgumentNullException.ThrowIfNull(cpus);
        var mask = new byte[MaskBytes];
        foreach (var cpu in cpus)
        {
            mask[cpu / 8] |= (byte)(1 << (cpu % 8));
        }

        var all = true;
        foreach (var folder in Directory.EnumerateDirectories("/proc/self/task"))
        {
            if (int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var thread))
            {
                fixed (byte* bits = mask)
                {
                    // A thread that ended meanwhile (ESRCH) needs nothing.
                    all &= SchedSetAffinity(thread, MaskBytes, bits) == 0 || Marshal.GetLastPInvokeError() == 3;
                }
            }
        }

        return all;
    }

    private static List<int> Allowed(int thread)
    {
        var mask = new byte[MaskBytes];
        int size;
        fixed (byte* bits = mask)
        {
            size = SchedGetAffinity(thread, MaskBytes, bits);
        }

        var cpus = new List<int>();
        if (size <= 0)
        {
            cpus.AddRange(Enumerable.Range(0, Environment.ProcessorCount));
            return cpus;
        }

        for (var cpu = 0; cpu < size * 8; cpu++)
        {
            if ((mask[cpu / 8] & (1 << (cpu % 8))) != 0)
            {
                cpus.Add(cpu);
            }
        }

        return cpus;
    }

    // The raw system call returns the size of the kernel's mask in bytes; glibc's wrapper returns 0. Either way the
    // bits are filled in; a negative value is an error.
    [LibraryImport("libc", EntryPoint = "sched_getaffinity", SetLastError = true)]
    private static partial int SchedGetAffinityRaw(int pid, nint size, byte* mask);

    private static int SchedGetAffinity(int pid, nint size, byte* mask)
    {
        var result = SchedGetAffinityRaw(pid, size, mask);
        return result == 0 ? (int)size : result;
    }

    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static partial int SchedSetAffinity(int pid, nint size, byte* mask);
}
