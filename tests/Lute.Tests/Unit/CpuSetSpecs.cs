using Lute.Executors;

namespace Lute.Tests.Unit;

public sealed class CpuSetSpecs
{
    public static TheoryData<int[], int, string> Masks => new()
    {
        // A SLURM allocation of CPUs 4-7: the runner keeps 4, the task gets 5-7 (not 1-3).
        { [4, 5, 6, 7], 4, "5-7" },
        { [0, 1], 0, "1" },
        { [1, 3, 5, 6, 7], 1, "3,5-7" },
        { [7, 2, 3], 2, "3,7" },
    };

    [Theory]
    [MemberData(nameof(Masks))]
    public void The_runner_keeps_the_first_cpu_of_its_mask_and_the_task_gets_the_rest(int[] mask, int runner, string task)
    {
        var split = CpuSet.Split(mask);

        Assert.NotNull(split);
        Assert.Equal(runner, split.Value.Runner);
        Assert.Equal(task, CpuSet.Format(split.Value.Task));
    }

    [Fact]
    public void A_single_cpu_is_not_split()
    {
        Assert.Null(CpuSet.Split([3]));
    }

    [Fact]
    public void The_mask_read_from_the_kernel_is_the_one_proc_reports()
    {
        var line = File.ReadLines("/proc/thread-self/status").Single(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal));

        Assert.Equal(line["Cpus_allowed_list:".Length..].Trim(), CpuSet.Format(CpuSet.Allowed()));
    }
}
