using Lute.Contracts;
using Microsoft.Extensions.Logging.Abstractions;

namespace LuteExecutor.Tests;

public sealed class ChildProcessExecutorTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_command_runs_with_the_task_environment_and_its_output_and_exit_reach_lute()
    {
        var executor = new ChildProcessExecutor(NullLogger<ChildProcessExecutor>.Instance);

        await using var execution = await executor.LaunchAsync(Request(["/bin/sh", "-c", "echo \"hello $GREETING\"; exit 3"]));
        using var output = new StreamReader(execution.StandardOutput);
        var text = await output.ReadToEndAsync().WaitAsync(Limit);
        var exit = await execution.WaitForExitAsync().WaitAsync(Limit);

        Assert.Equal("hello from the test\n", text);
        Assert.Equal(3, exit.ExitCode);
        Assert.Equal("lute-component-name", execution.Details["launched_by"]);
    }

    [Fact]
    public async Task A_terminate_signal_ends_the_task_and_is_reported_as_its_signal()
    {
        var executor = new ChildProcessExecutor(NullLogger<ChildProcessExecutor>.Instance);

        await using var execution = await executor.LaunchAsync(Request(["/bin/sh", "-c", "exec sleep 60"]));
        await execution.SignalAsync(TaskSignal.Terminate);
        var exit = await execution.WaitForExitAsync().WaitAsync(Limit);

        Assert.Equal(15, exit.Signal);
    }

    [Fact]
    public async Task A_program_that_does_not_exist_is_a_launch_failure()
    {
        var executor = new ChildProcessExecutor(NullLogger<ChildProcessExecutor>.Instance);

        await Assert.ThrowsAsync<LaunchException>(() => executor.LaunchAsync(Request(["/no/such/program"])));
    }

    [Fact]
    public void A_resource_the_executor_does_not_take_is_named_before_anything_is_launched()
    {
        var executor = new ChildProcessExecutor(NullLogger<ChildProcessExecutor>.Instance);

        var problems = executor.CheckResources(new Dictionary<string, string> { ["ntasks"] = "4" }, PluginSettings.Empty);

        var problem = Assert.Single(problems);
        Assert.Equal("ntasks", problem.Resource);
        Assert.Empty(executor.CheckResources(new Dictionary<string, string>(), PluginSettings.Empty));
    }

    private static LaunchRequest Request(IReadOnlyList<string> command) => new()
    {
        Command = command,
        Environment = new Dictionary<string, string> { ["GREETING"] = "from the test", ["PATH"] = "/usr/bin:/bin" },
        WorkingDirectory = Path.GetTempPath(),
        Run = new RunInfo { RunId = 1, TaskName = "Scan", Executor = "lute-component-name", Host = "test-host", WorkDirectory = Path.GetTempPath() },
    };
}
