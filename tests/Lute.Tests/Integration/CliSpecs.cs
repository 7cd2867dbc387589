using System.Globalization;
using System.Text.Json;
using Lute.Contracts;
using Lute.Host.Running;
using Lute.Tests.Support;

namespace Lute.Tests.Integration;

[Collection(ProcessCollection.Name)]
public sealed class CliSpecs
{
    [Fact]
    public async Task The_example_task_runs_end_to_end()
    {
        using var workspace = Workspace.Create();

        var (code, process) = await workspace.LuteAsync("run", Path.Combine(Repo.Root, "examples", "hello.yaml"));

        Assert.True(code == ExitCodes.Completed, process.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Equal("Hello", run.Task);
        Assert.Equal("0007", run.ExperimentRun);
        Assert.Equal(3, run.Payload!.Value.GetProperty("lines").GetInt32());
        var summary = run.SummaryValues();
        Assert.StartsWith("3 ", summary["lines"], StringComparison.Ordinal);
        Assert.Contains($"Result recorded in {workspace.StorePath} (lute show {run.Id})", process.Stdout);
    }

    [Fact]
    public async Task Without_plugins_yaml_the_embedded_defaults_apply()
    {
        using var workspace = Workspace.Create();
        File.Delete(workspace.ConfigPath);
        var tasks = workspace.Write("tasks.yaml", "tasks:\n  Default:\n    command: [\"true\"]\n");
        var data = workspace.PathOf("data");
        var environment = new Dictionary<string, string?> { ["XDG_DATA_HOME"] = data, [Lute.Host.Configuration.HostConfigurationLoader.ConfigVariable] = null };

        using var lute = ChildProcess.Start(Repo.Lute, ["run", tasks], workspace.Root, environment);
        var code = await lute.WaitForExitAsync(Workspace.DefaultTimeout);

        Assert.True(code == ExitCodes.Completed, lute.Output);
        var store = Path.Combine(data, "lute", "lute.db");
        Assert.True(File.Exists(store), lute.Output);
        Assert.Contains($"Result recorded in {store} (lute show 1)", lute.Stdout);
        Assert.Single(Directory.GetFiles(Path.Combine(data, "lute", "logs")));
    }

    [Fact]
    public async Task History_and_show_print_what_the_store_holds()
    {
        using var workspace = Workspace.Create();
        await workspace.RunTaskAsync("tasks:\n  First:\n    command: [\"true\"]\n");
        await workspace.RunTaskAsync("tasks:\n  Second:\n    command: [sh, -c, \"exit 3\"]\n    parameters: { p: \"v'1\" }\n");

        var (historyCode, history) = await workspace.LuteAsync("history");
        var (showCode, show) = await workspace.LuteAsync("show", "2");
        var (missingCode, missing) = await workspace.LuteAsync("show", "99");

        Assert.Equal(0, historyCode);
        Assert.Matches(@"^2\s+Second\s+local\s+FAILED\s+3\s+", history.Stdout[1]);
        Assert.Matches(@"^1\s+First\s+local\s+COMPLETED\s+0\s+", history.Stdout[2]);
        Assert.Equal(0, showCode);
        Assert.Contains("status:        FAILED", show.Stdout);
        Assert.Contains("reason:        exit code 3", show.Stdout);
        Assert.Contains("    \"p\": \"v'1\"", show.Stdout);
        Assert.Equal(ExitCodes.BadInput, missingCode);
        Assert.Contains(missing.Stderr, l => l.Contains("there is no run 99", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("show-every-field.txt", "show", "1")]
    [InlineData("show-never-launched.txt", "show", "2")]
    [InlineData("history-pinned.txt", "history")]
    public async Task Show_and_history_print_recorded_runs_exactly_as_pinned(string expected, params string[] arguments)
    {
        // The pinned texts are what lute printed for these runs before the store read typed records.
        using var workspace = Workspace.Create();
        await PinnedRuns.WriteAsync(workspace.StorePath);

        var (code, process) = await workspace.LuteAsync(arguments);

        Assert.True(code == 0, process.Output);
        var pinned = await File.ReadAllTextAsync(Path.Combine(Repo.Root, "tests", "Lute.Tests", "Integration", "Expected", expected));
        Assert.Equal(pinned, string.Join('\n', process.Stdout) + "\n");
    }

    [Fact]
    public async Task Plugins_lists_loaded_plugins_and_why_others_failed()
    {
        using var workspace = Workspace.Create("Lute.TestPlugins.FutureContract");
        Directory.CreateDirectory(Path.Combine(workspace.PluginDirectory, "Lute.Empty"));

        var (code, process) = await workspace.LuteAsync("plugins");

        Assert.Equal(1, code);
        Assert.Contains($"Lute.Executors.Local 0.1.0.0 (contracts {ContractVersion.Text}): loaded", process.Stdout);
        Assert.Contains(process.Stdout, l => l.Contains("executor", StringComparison.Ordinal) && l.Contains("local", StringComparison.Ordinal) && l.Contains("process group", StringComparison.Ordinal));
        Assert.Contains("Lute.TestPlugins.FutureContract 0.1.0.0 (contracts 2.0): FAILED", process.Stdout);
        Assert.Contains(process.Stdout, l => l.Contains("error: built against contracts 2.0", StringComparison.Ordinal));
        Assert.Contains(process.Stdout, l => l.Contains("error: the folder has no Lute.Empty.dll", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cpu_affinity_keeps_the_first_cpu_for_the_runner()
    {
        using var workspace = Workspace.Create();
        // The after tasklet runs while the runner is still pinned: it reads every thread of its parent, the runner.
        var (code, process) = await workspace.RunTaskAsync("""
            tasks:
              Pinned:
                command: [sh, -c, 'grep Cpus_allowed_list /proc/self/status']
                cpu_affinity: true
                tasklets:
                  after:
                    - name: runner_cpus
                      command: [sh, -c, 'cat /proc/$PPID/task/*/status | grep Cpus_allowed_list | cut -f2 | sort -u | tr "\n" " "']
                      summary: true
            """);

        Assert.True(code == ExitCodes.Completed, process.Output);
        var allowed = Lute.Executors.CpuSet.Allowed();
        Assert.True(allowed.Count > 1, "this test needs two CPUs");
        var task = Lute.Executors.CpuSet.Format(allowed.Skip(1).ToList());
        Assert.Contains(process.Stderr, l => l.EndsWith($"[Pinned stdout] Cpus_allowed_list:\t{task}", StringComparison.Ordinal));
        var run = await workspace.LatestRunAsync();
        Assert.Equal(allowed[0].ToString(CultureInfo.InvariantCulture), run.SummaryValues()["runner_cpus"].Trim());
        Assert.Equal(task, run.DetailValues()["cpus"]);
    }

    [Fact]
    public async Task Cpu_affinity_under_a_restricted_mask_takes_the_cpus_of_the_mask()
    {
        // taskset around lute run, as a cpuset or a SLURM allocation would restrict it: the highest CPU only.
        var last = Lute.Executors.CpuSet.Allowed()[^1];
        using var workspace = Workspace.Create();
        var tasks = workspace.Write("tasks.yaml", """
            tasks:
              Restricted:
                command: [sh, -c, 'grep Cpus_allowed_list /proc/self/status']
                cpu_affinity: true
            """);
        using var process = ChildProcess.Start(
            "/usr/bin/taskset", ["-c", last.ToString(CultureInfo.InvariantCulture), Repo.Lute, "run", tasks, "--config", workspace.ConfigPath], workspace.Root);
        var code = await process.WaitForExitAsync(Workspace.DefaultTimeout);

        Assert.True(code == ExitCodes.Completed, process.Output);
        // One CPU: nothing to share out, and the task is not moved off the mask (old rule: CPUs 1-(N-1)).
        Assert.Contains(process.Stderr, l => l.EndsWith($"[Restricted stdout] Cpus_allowed_list:\t{last}", StringComparison.Ordinal));
        Assert.Contains(process.Stderr, l => l.Contains($"cpu_affinity: this process may use only CPU {last}", StringComparison.Ordinal));
        var run = await workspace.LatestRunAsync();
        Assert.False(run.DetailValues().ContainsKey("cpus"));
    }

    [Fact]
    public async Task Clients_outside_a_runner_do_nothing_and_an_unreachable_runner_fails_fast()
    {
        using var workspace = Workspace.Create();
        var script = workspace.Write("standalone.py", """
            import lute_task
            with lute_task.connect() as lute:
                print("attached" if lute.attached else "standalone")
                lute.result(payload=1)
            """);
        var pythonPath = new Dictionary<string, string?> { ["PYTHONPATH"] = Repo.PythonClient, ["LUTE_SOCKET"] = null, ["LUTE_ADDRESS"] = null };

        using var standalone = ChildProcess.Start("python3", [script], workspace.Root, pythonPath);
        var standaloneCode = await standalone.WaitForExitAsync(Workspace.DefaultTimeout);
        using var unreachable = ChildProcess.Start("python3", [script], workspace.Root, new Dictionary<string, string?>(pythonPath) { ["LUTE_SOCKET"] = workspace.PathOf("nobody-listens.sock") });
        var unreachableCode = await unreachable.WaitForExitAsync(Workspace.DefaultTimeout);
        using var emit = ChildProcess.Start(Repo.Lute, ["emit", "result", "1"], workspace.Root, new Dictionary<string, string?> { ["LUTE_SOCKET"] = null, ["LUTE_ADDRESS"] = null });
        var emitCode = await emit.WaitForExitAsync(Workspace.DefaultTimeout);

        Assert.Equal(0, standaloneCode);
        Assert.Equal(["standalone"], standalone.Stdout);
        Assert.NotEqual(0, unreachableCode);
        Assert.Contains(unreachable.Stderr, l => l.Contains("cannot reach the Lute runner at LUTE_SOCKET=", StringComparison.Ordinal));
        Assert.Equal(0, emitCode);
        Assert.Contains(emit.Stderr, l => l.Contains("neither LUTE_ADDRESS nor LUTE_SOCKET is set", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Task_that_reports_failure_is_failed_even_when_it_exits_0()
    {
        using var workspace = Workspace.Create();
        var (code, process) = await workspace.RunTaskAsync($$"""
            tasks:
              Honest:
                command: [sh, -c, 'lute emit failed "{\"reason\": \"no peaks found\"}"']
                environment: { prepend: { PATH: "{{Repo.LuteDirectory}}" } }
            """);

        Assert.True(code == ExitCodes.Failed, process.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("the task reported a failure: no peaks found", run.Reason);
    }
}
