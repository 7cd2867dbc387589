using System.Globalization;
using Lute.Contracts;
using Lute.Host.Running;
using Lute.Tests.Integration;
using Lute.Tests.Support;

namespace Lute.Tests.Engines;

/// <summary><c>lute submit</c> and <c>lute status</c> against the single-node SLURM cluster.</summary>
[Collection(ProcessCollection.Name)]
public sealed class SubmitSpecs
{
    private const string Tasks = """
        tasks:
          Batch:
            executor: slurm-srun
            parameters: { nodes: "1" }
            resources: { ntasks: "2", nodes: "{{ nodes }}", time: "5" }
            command: [sh, -c, 'echo "rank $SLURM_PROCID of job $SLURM_JOB_ID"']
        """;

    [Fact]
    public async Task Dry_run_prints_the_batch_script_with_the_tasks_resources_and_submits_nothing()
    {
        using var workspace = Engines.Workspace();
        var file = workspace.Write("tasks.yaml", Tasks);

        var (code, lute) = await workspace.LuteAsync("submit", file, "--dry-run", "--sbatch=--partition=debug");

        Assert.True(code == ExitCodes.Completed, lute.Output);
        Assert.Equal("#!/bin/bash", lute.Stdout[0]);
        Assert.Contains("#SBATCH --ntasks=2", lute.Stdout);
        Assert.Contains("#SBATCH --nodes=1", lute.Stdout);
        Assert.Contains("#SBATCH --time=5", lute.Stdout);
        Assert.Contains("#SBATCH --job-name=Batch", lute.Stdout);
        Assert.Contains("#SBATCH --partition=debug", lute.Stdout);
        Assert.Contains($"#SBATCH --output={workspace.LogDirectory}/slurm-%j.out", lute.Stdout);
        Assert.Contains($"exec '{Repo.Lute}' '--config' '{workspace.ConfigPath}' 'run' '{file}' 'Batch'", lute.Stdout);
        Assert.Empty(await workspace.RunsAsync());
    }

    [Fact]
    public async Task A_submitted_job_runs_the_task_inside_its_allocation_and_status_reports_it()
    {
        await Engines.RequireSlurmAsync();
        using var workspace = Engines.Workspace();
        var file = workspace.Write("tasks.yaml", Tasks);

        var (code, submit) = await workspace.LuteAsync("submit", file, "--wait");

        Assert.True(code == ExitCodes.Completed, submit.Output);
        var line = submit.Stdout.Single(l => l.StartsWith("Submitted job ", StringComparison.Ordinal));
        var job = line.Split(' ')[2];
        var run = await workspace.LatestRunAsync();
        Assert.Equal(RunStatus.Completed, run.Status);
        var details = run.DetailValues();
        Assert.Equal(job, details["slurm_allocation"]);
        Assert.Equal(job, details["slurm_job_id"]);
        Assert.Equal($"job {job}", details["allocation"]);
        Assert.Contains($"rank 1 of job {job}", await File.ReadAllTextAsync(run.LogPath!), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(workspace.LogDirectory, $"slurm-{job}.out")));

        var (statusCode, status) = await workspace.LuteAsync("status", job);
        Assert.True(statusCode == 0, status.Output);
        Assert.Contains(status.Stdout, l => l.StartsWith($"job {job}: COMPLETED", StringComparison.Ordinal));
        Assert.Contains(status.Stdout, l => l.StartsWith($"run {run.Id.ToString(CultureInfo.InvariantCulture)} (Batch, slurm-srun): COMPLETED", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Status_of_a_job_nobody_knows_says_so_and_exits_with_bad_input()
    {
        await Engines.RequireSlurmAsync();
        using var workspace = Engines.Workspace();

        var (code, status) = await workspace.LuteAsync("status", "987654");

        Assert.True(code == ExitCodes.BadInput, status.Output);
        Assert.Contains(status.Stdout, l => l.Contains("unknown to squeue and sacct", StringComparison.Ordinal));
    }
}
