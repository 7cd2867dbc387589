using System.Diagnostics;
using Lute.Tests.Support;

namespace Lute.Tests.Engines;

/// <summary>
/// The real engines the MPI and SLURM executor tests run against, which scripts/engines-up.sh installs and starts
/// (./test.sh runs it). When an engine is missing these tests fail with that instruction; they never skip.
/// </summary>
internal static class Engines
{
    private static readonly TimeSpan CommandLimit = TimeSpan.FromSeconds(30);
    private static readonly Lazy<Task<string>> CompiledMpiProgram = new(CompileAsync);

    /// <summary>tests/engines/mpi_ranks.c, compiled with mpicc once per test run.</summary>
    public static Task<string> MpiProgramAsync()
    {
        Require("mpirun", "OpenMPI");
        return CompiledMpiProgram.Value;
    }

    /// <summary>Fails unless the single-node SLURM cluster answers and its node can run jobs.</summary>
    public static async Task RequireSlurmAsync()
    {
        Require("srun", "SLURM");
        var (code, output) = await RunAsync("sinfo", "-h", "-o", "%T");
        Assert.True(
            code == 0 && output.Split('\n').Select(s => s.Trim()).Any(s => s.Length > 0 && !s.StartsWith("down", StringComparison.Ordinal)
                && !s.StartsWith("drain", StringComparison.Ordinal) && !s.StartsWith("fail", StringComparison.Ordinal) && !s.StartsWith("unk", StringComparison.Ordinal)),
            $"the SLURM cluster is not up (sinfo exit {code}: {output.Trim()}); run scripts/engines-up.sh as root (./test.sh does)");
    }

    /// <summary>A workspace with the local, MPI and SLURM executors installed.</summary>
    public static Workspace Workspace()
    {
        var workspace = Support.Workspace.Create();
        workspace.Link(Repo.Plugin("Lute.Executors.Mpi"));
        workspace.Link(Repo.Plugin("Lute.Executors.Slurm"));
        return workspace;
    }

    /// <summary>
    /// Starts <c>lute run</c> of a two-rank task named Hang whose ranks each write <c>rank-R.pid</c> into the workspace,
    /// print "rank R ready" and wait; returns once both are ready.
    /// </summary>
    public static async Task<ChildProcess> StartHangingAsync(Workspace workspace, string executor, string command, string? timeout)
    {
        var tasks = workspace.Write("tasks.yaml", $$"""
            tasks:
              Hang:
                executor: {{executor}}
                resources: { ntasks: "2" }
                command: {{command}}
                grace_period: 5s
            {{(timeout is null ? string.Empty : $"    timeout: {timeout}")}}
            """);
        var lute = workspace.Start(["run", tasks], resetSignals: true);
        await lute.WaitForLineAsync(l => l.EndsWith("[Hang stdout rank 0] rank 0 ready", StringComparison.Ordinal), Support.Workspace.DefaultTimeout);
        await lute.WaitForLineAsync(l => l.EndsWith("[Hang stdout rank 1] rank 1 ready", StringComparison.Ordinal), Support.Workspace.DefaultTimeout);
        return lute;
    }

    /// <summary><see cref="StartHangingAsync"/> of a two-task srun step whose tasks run <c>sleep</c>.</summary>
    public static Task<ChildProcess> StartHangingStepAsync(Workspace workspace, string? timeout) =>
        StartHangingAsync(workspace, "slurm-srun", $$"""[sh, -c, 'echo $$ > "{{workspace.Root}}/rank-$SLURM_PROCID.pid"; echo "rank $SLURM_PROCID ready"; exec sleep 600']""", timeout);

    /// <summary>The PIDs the ranks of <see cref="StartHangingAsync"/> wrote.</summary>
    public static List<int> RankPids(Workspace workspace) =>
        [ProcessTable.ReadPid(workspace.PathOf("rank-0.pid")), ProcessTable.ReadPid(workspace.PathOf("rank-1.pid"))];

    /// <summary>Runs a program to its end (bounded) and returns its exit code and output (both streams).</summary>
    public static Task<(int ExitCode, string Output)> RunAsync(string program, params string[] arguments) =>
        RunInAsync(null, program, arguments);

    /// <summary>Runs a program to its end (bounded) with these environment changes; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunInAsync(IReadOnlyDictionary<string, string?>? environment, string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(CommandLimit);
        return (process.ExitCode, await output + await errors);
    }

    /// <summary>
    /// Waits until squeue no longer lists the job (a finished job passes through COMPLETING). squeue offers no event,
    /// so this asks every 200 ms, within a bound, and returns what it last printed.
    /// </summary>
    public static async Task<string> WaitUntilJobLeftQueueAsync(string job, TimeSpan timeout, IReadOnlyDictionary<string, string?>? environment = null)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        var deadline = DateTime.UtcNow + timeout;
        var (_, output) = await RunInAsync(environment, "squeue", "-h", "-j", job, "-o", "%i %T");
        while (output.Trim().Length > 0 && !output.Contains("Invalid job id", StringComparison.Ordinal) && DateTime.UtcNow < deadline && await timer.WaitForNextTickAsync())
        {
            (_, output) = await RunInAsync(environment, "squeue", "-h", "-j", job, "-o", "%i %T");
        }

        return output.Contains("Invalid job id", StringComparison.Ordinal) ? string.Empty : output.Trim();
    }

    /// <summary>Waits until none of the processes is alive (a signal takes effect when its target next runs).</summary>
    public static async Task AssertAllEndAsync(IEnumerable<int> pids)
    {
        foreach (var pid in pids)
        {
            var state = await ProcessTable.WaitForStateAsync(pid, s => s is null or 'Z' or 'X', TimeSpan.FromSeconds(30));
            Assert.True(state is null or 'Z' or 'X', $"process {pid} of the task is still alive (state {state})");
        }
    }

    private static void Require(string program, string engine)
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(folder => File.Exists(Path.Combine(folder, program)));
        Assert.True(found, $"{engine} is not installed ({program} is not on PATH); run scripts/engines-up.sh as root (./test.sh does)");
    }

    private static async Task<string> CompileAsync()
    {
        var folder = Path.Combine(Repo.Out, "engines");
        Directory.CreateDirectory(folder);
        var program = Path.Combine(folder, "mpi_ranks");
        var (code, output) = await RunAsync("mpicc", "-O1", "-Wall", "-o", program, Path.Combine(Repo.Root, "tests", "engines", "mpi_ranks.c"));
        Assert.True(code == 0, $"mpicc failed: {output}");
        return program;
    }
}
