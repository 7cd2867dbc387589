using System.Text.Json;
using Lute.Contracts;
using Lute.Host.Running;
using Lute.Tests.Support;

namespace Lute.Tests.Integration;

[Collection(ProcessCollection.Name)]
public sealed class LocalRunSpecs
{
    [Fact]
    public async Task Successful_task_is_recorded_completed_with_exit_code_0()
    {
        using var workspace = Workspace.Create();
        var (code, process) = await workspace.RunTaskAsync("""
            header: { experiment: xpp1, run: "0042" }
            tasks:
              Echo:
                command: [sh, -c, 'echo "run $RUN"']
                environment: { set: { RUN: "{{ header.run }}" } }
            """);

        Assert.True(code == ExitCodes.Completed, process.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("xpp1", run.Experiment);
        Assert.Equal("0042", run.ExperimentRun);
        Assert.NotNull(run.EndedAt);
        Assert.Contains(process.Stderr, l => l.Contains("[Echo stdout] run 0042", StringComparison.Ordinal));
        Assert.Contains(File.ReadAllLines(run.LogPath!), l => l.EndsWith("[Echo stdout] run 0042", StringComparison.Ordinal));
        Assert.Contains($"lute show {run.Id}", process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Non_zero_exit_is_recorded_failed_with_its_code()
    {
        using var workspace = Workspace.Create();
        var (code, process) = await workspace.RunTaskAsync("""
            tasks:
              Fail:
                command: [sh, -c, "echo about to fail >&2; exit 7"]
            """);

        Assert.True(code == ExitCodes.Failed, process.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(7, run.ExitCode);
        Assert.Equal("exit code 7", run.Reason);
        Assert.False(run.LaunchFailed);
    }

    [Theory]
    [InlineData("SEGV", 11)]
    [InlineData("ABRT", 6)]
    [InlineData("KILL", 9)]
    public async Task Task_killed_by_a_signal_is_recorded_failed_with_the_signal(string signal, int number)
    {
        using var workspace = Workspace.Create();
        var (code, process) = await workspace.RunTaskAsync($$"""
            tasks:
              Crash:
                command: [sh, -c, "echo about to die; kill -{{signal}} $$"]
            """);

        Assert.True(code == ExitCodes.Failed, process.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(number, run.Signal);
        Assert.Null(run.ExitCode);
        Assert.Contains("SIG" + signal, run.Reason, StringComparison.Ordinal);
        Assert.Contains(process.Stderr, l => l.EndsWith("[Crash stdout] about to die", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Missing_program_is_a_launch_failure_naming_it()
    {
        using var workspace = Workspace.Create();
        var (code, process) = await workspace.RunTaskAsync("""
            tasks:
              Missing:
                command: [no-such-program-anywhere, --help]
            """);

        Assert.True(code == ExitCodes.LaunchFailed, process.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.True(run.LaunchFailed);
        Assert.Contains("no-such-program-anywhere", run.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Task_that_sends_a_result_and_then_crashes_is_failed_and_keeps_its_result()
    {
        using var workspace = Workspace.Create();
        var (code, process) = await workspace.RunTaskAsync($"""
            tasks:
              Partial:
                command: ["{Repo.TestTask}", result-then-exit, "3"]
            """);

        Assert.True(code == ExitCodes.Failed, process.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal("\"partial\"", run.Payload?.GetRawText());
    }

    [Fact]
    public async Task Result_parameter_becomes_the_payload_and_tasklets_fill_the_summary()
    {
        using var workspace = Workspace.Create("Lute.TestPlugins.Hooks");
        var (code, process) = await workspace.RunTaskAsync("""
            header: { work_dir: out }
            tasks:
              Make:
                command: [sh, -c, 'printf "a\nb\n" > "$0"', "{{ file }}"]
                parameters: { file: "{{ header.work_dir }}/data.txt" }
                work_dir: .
                result: "{{ file }}"
                tasklets:
                  before:
                    - { command: [mkdir, -p, "{{ header.work_dir }}"] }
                  after:
                    - { name: count, command: [wc, -l, "{{ file }}"], summary: lines }
                    - { use: test.echo, args: [checked, "{{ file }}"], summary: true }
            """);

        Assert.True(code == ExitCodes.Completed, process.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Equal("\"out/data.txt\"", run.Payload?.GetRawText());
        var summary = run.SummaryValues();
        Assert.Equal("2 out/data.txt", summary["lines"]);
        Assert.Equal("checked out/data.txt", summary["test.echo"]);
    }

    [Fact]
    public async Task Tasklets_find_their_programs_in_the_task_environment()
    {
        using var workspace = Workspace.Create();
        workspace.Write("tools/checker", "#!/bin/sh\necho \"checked by $0 for $LUTE_TASK_NAME\"\n", executable: true);
        var (code, process) = await workspace.RunTaskAsync($$"""
            tasks:
              Checked:
                command: ["true"]
                environment: { prepend: { PATH: "{{workspace.PathOf("tools")}}" } }
                tasklets:
                  after: [ { command: [checker], summary: check } ]
            """);

        Assert.True(code == ExitCodes.Completed, process.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Equal($"checked by {workspace.PathOf("tools/checker")} for Checked", run.SummaryValues()["check"]);
    }

    [Fact]
    public async Task Before_tasklet_that_fails_with_policy_fail_fails_the_run_without_launching()
    {
        using var workspace = Workspace.Create();
        var marker = workspace.PathOf("launched");
        var (code, process) = await workspace.RunTaskAsync($$"""
            tasks:
              Guarded:
                command: [touch, "{{marker}}"]
                tasklets:
                  before:
                    - { name: check, command: [sh, -c, "echo not ready >&2; exit 1"], on_failure: fail }
            """);

        Assert.True(code == ExitCodes.Failed, process.Output);
        Assert.False(File.Exists(marker));
        var run = await workspace.LatestRunAsync();
        Assert.Contains("before tasklet 'check' failed", run.Reason, StringComparison.Ordinal);
        Assert.Contains("not ready", run.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Environment_is_built_from_a_sourced_script_then_set_prepend_and_append()
    {
        using var workspace = Workspace.Create();
        workspace.Write("env.sh", "export FROM_SCRIPT='sourced value'\nexport LIST=b\necho this output is not evaluated\n");
        var (code, process) = await workspace.RunTaskAsync("""
            tasks:
              Env:
                command: [sh, -c, 'echo "$FROM_SCRIPT|$LIST|$EXTRA"']
                environment:
                  source: env.sh
                  prepend: { LIST: a }
                  append: { LIST: c }
                  set: { EXTRA: "x'y\"z" }
            """);

        Assert.True(code == ExitCodes.Completed, process.Output);
        Assert.Contains(process.Stderr, l => l.EndsWith("[Env stdout] sourced value|a:b:c|x'y\"z", StringComparison.Ordinal));
        var run = await workspace.LatestRunAsync();
        var changes = run.Environment;
        Assert.Equal("a:b:c", changes["LIST"]);
        Assert.True(changes.ContainsKey("LUTE_SOCKET"));
    }
}
