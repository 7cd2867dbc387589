using System.Text.Json;
using Lute.Contracts;
using Lute.Host.Running;
using Lute.Tests.Integration;
using Lute.Tests.Support;

namespace Lute.Tests.Engines;

/// <summary>
/// One task file, run under each executor by changing only its <c>executor:</c> line: the promise that moving a task to
/// MPI or SLURM changes nothing else.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class SameTaskEverywhereSpecs
{
    private const string TaskFile = """
        header: { experiment: demo, run: "7" }
        tasks:
          Analyse:
            executor: EXECUTOR
            command: [python3, analyse.py, "{{ header.run }}"]
            parameters: { out: "{{ lute.task_dir }}/out-{{ lute.executor }}.txt" }
            environment: { set: { CLIENT: "CLIENT_PATH" } }
            result: "{{ out }}"
            timeout: 2m
        """;

    private const string Script = """
        import os, sys
        sys.path.insert(0, os.environ["CLIENT"])
        import lute_task
        with lute_task.connect() as lute:
            lute.log(f"analysing run {sys.argv[1]}")
            lute.result(summary={"peaks": 12, "run": sys.argv[1]})
        """;

    [Theory]
    [InlineData("local")]
    [InlineData("mpi")]
    [InlineData("slurm-srun")]
    public async Task The_same_task_completes_under_each_executor_with_its_result_recorded(string executor)
    {
        if (executor == "mpi")
        {
            await Engines.MpiProgramAsync();
        }
        else if (executor == "slurm-srun")
        {
            await Engines.RequireSlurmAsync();
        }

        using var workspace = Engines.Workspace();
        workspace.Write("analyse.py", Script);
        var (code, lute) = await workspace.RunTaskAsync(
            TaskFile.Replace("EXECUTOR", executor, StringComparison.Ordinal).Replace("CLIENT_PATH", Repo.PythonClient, StringComparison.Ordinal));

        Assert.True(code == ExitCodes.Completed, lute.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(executor, run.Executor);
        Assert.Equal(workspace.PathOf($"out-{executor}.txt"), run.Payload!.Value.GetString());
        var summary = run.SummaryValues();
        Assert.Equal("12", summary["peaks"]);
        Assert.Equal("7", summary["run"]);
        Assert.Contains("analysing run 7", await File.ReadAllTextAsync(run.LogPath!), StringComparison.Ordinal);
    }
}
