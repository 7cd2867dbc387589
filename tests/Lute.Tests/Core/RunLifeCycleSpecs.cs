using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Lute.Contracts;
using Lute.Host.Running;

namespace Lute.Tests.Core;

/// <summary>
/// The run's life cycle in process: the real runner, a fake execution and the in-memory recorder. Each status and
/// each way a run can go wrong, without a child process for the task.
/// </summary>
public sealed class RunLifeCycleSpecs
{
    private static readonly ProcessExit Success = new(0, null);

    [Fact]
    public async Task A_task_that_exits_0_completes_and_is_recorded_with_its_communicators()
    {
        await using var run = InProcessRun.Of(_ => Task.FromResult(Success));

        var outcome = await run.RunAsync();

        Assert.Equal(RunStatus.Completed, outcome.Result.Status);
        Assert.Equal(0, outcome.Result.ExitCode);
        Assert.True(outcome.Recorded);
        Assert.Equal(ExitCodes.Completed, outcome.ExitCode);
        var record = await run.RecordAsync(outcome);
        Assert.Equal(RunStatus.Completed, record.Status);
        Assert.Equal(0, record.ExitCode);
        Assert.Equal(["standard output and error", $"unix socket {run.Executor.Requests.Single().Environment["LUTE_SOCKET"]}"], record.Communicators);
        Assert.Equal(outcome.LogPath, record.LogPath);
    }

    [Fact]
    public async Task A_non_zero_exit_code_fails_the_run_with_it()
    {
        await using var run = InProcessRun.Of(_ => Task.FromResult(new ProcessExit(3, null)));

        var outcome = await run.RunAsync();

        Assert.Equal((RunStatus.Failed, "exit code 3"), (outcome.Result.Status, outcome.Result.Reason));
        Assert.Equal(3, (await run.RecordAsync(outcome)).ExitCode);
        Assert.Equal(ExitCodes.For(outcome.Result), outcome.ExitCode);
    }

    [Fact]
    public async Task A_task_killed_by_a_signal_fails_naming_the_signal()
    {
        await using var run = InProcessRun.Of(_ => Task.FromResult(new ProcessExit(null, 11)));

        var outcome = await run.RunAsync();

        Assert.Equal((RunStatus.Failed, "killed by SIGSEGV"), (outcome.Result.Status, outcome.Result.Reason));
        Assert.Equal(11, (await run.RecordAsync(outcome)).Signal);
    }

    [Fact]
    public async Task The_result_and_summary_a_task_sends_are_recorded()
    {
        await using var run = InProcessRun.Of(async task =>
        {
            await using var client = await task.ConnectAsync();
            await client.ResultAsync(new JsonObject { ["peaks"] = 12 }, new Dictionary<string, string> { ["frames"] = "100" });
            return Success;
        });

        var outcome = await run.RunAsync();

        var record = await run.RecordAsync(outcome);
        Assert.Equal(12, record.Payload!.Value.GetProperty("peaks").GetInt32());
        Assert.Equal("100", record.Summary["frames"]);
        Assert.Equal("100", outcome.Result.Summary["frames"]);
    }

    [Fact]
    public async Task Metadata_a_task_sends_is_recorded()
    {
        await using var run = InProcessRun.Of(async task =>
        {
            await using var client = await task.ConnectAsync();
            await client.MetadataAsync(new JsonObject { ["detector"] = "epix" });
            return Success;
        });

        var record = await run.RecordAsync(await run.RunAsync());

        Assert.Equal("epix", record.Metadata["detector"].GetString());
    }

    [Fact]
    public async Task A_task_that_reports_a_failure_fails_even_when_it_exits_0()
    {
        await using var run = InProcessRun.Of(async task =>
        {
            await using var client = await task.ConnectAsync();
            await client.FailedAsync("no beam");
            return Success;
        });

        var outcome = await run.RunAsync();

        Assert.Equal((RunStatus.Failed, "the task reported a failure: no beam"), (outcome.Result.Status, outcome.Result.Reason));
    }

    [Fact]
    public async Task A_task_that_reports_it_cancelled_its_work_is_cancelled()
    {
        await using var run = InProcessRun.Of(async task =>
        {
            await using var client = await task.ConnectAsync();
            await client.SendAsync(TaskSignals.Cancelled);
            return Success;
        });

        var outcome = await run.RunAsync();

        Assert.Equal(RunStatus.Cancelled, outcome.Result.Status);
        Assert.Equal(RunStatus.Cancelled, (await run.RecordAsync(outcome)).Status);
    }

    [Fact]
    public async Task Output_lines_reach_the_run_log_in_order()
    {
        await using var run = InProcessRun.Of(async task =>
        {
            for (var i = 0; i < 50; i++)
            {
                await task.PrintAsync($"line {i}");
            }

            await task.ComplainAsync("a warning");
            return Success;
        });

        var outcome = await run.RunAsync();

        var lines = run.LogLines(outcome);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"line {i}"), lines.Where(l => l.Contains("[Fake stdout] ", StringComparison.Ordinal)).Select(l => l[(l.IndexOf("[Fake stdout] ", StringComparison.Ordinal) + 14)..]));
        Assert.Contains(lines, l => l.EndsWith("[Fake stderr] a warning", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_launch_fails_the_run_as_a_launch_failure_and_nothing_is_signalled()
    {
        await using var run = InProcessRun.Of(new FakeExecutor(_ => Task.FromResult(Success)) { Refusal = "no such partition" });

        var outcome = await run.RunAsync();

        Assert.Equal((RunStatus.Failed, "no such partition", true), (outcome.Result.Status, outcome.Result.Reason, outcome.Result.LaunchFailed));
        var record = await run.RecordAsync(outcome);
        Assert.True(record.LaunchFailed);
        Assert.Null(record.TaskPid);
        Assert.Null(run.Executor.Last);
    }

    [Fact]
    public async Task An_executor_that_throws_is_a_runner_error_and_the_run_is_still_recorded_failed()
    {
        await using var run = InProcessRun.Of(new FakeExecutor(_ => Task.FromResult(Success)) { Throws = new InvalidOperationException("plugin bug") });

        var outcome = await run.RunAsync();

        Assert.Equal((RunStatus.Failed, "runner error: plugin bug"), (outcome.Result.Status, outcome.Result.Reason));
        Assert.Equal(RunStatus.Failed, (await run.RecordAsync(outcome)).Status);
        Assert.Contains(run.LogLines(outcome), l => l.Contains("The runner failed: plugin bug", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_time_limit_sends_the_graceful_signal_then_continue_and_records_timed_out()
    {
        await using var run = new InProcessRun(async task =>
        {
            await task.WaitForAsync(TaskSignal.Terminate);
            return new ProcessExit(null, 15);
        }) { Task = "timeout: 0.2s\ngrace_period: 5s" };

        var outcome = await run.RunAsync();

        Assert.Equal((RunStatus.TimedOut, "exceeded its time limit of 0.2s"), (outcome.Result.Status, outcome.Result.Reason));
        Assert.Equal([TaskSignal.Terminate, TaskSignal.Continue, TaskSignal.Kill], run.Executor.Last!.Received);
        Assert.Equal(RunStatus.TimedOut, (await run.RecordAsync(outcome)).Status);
    }

    [Fact]
    public async Task A_task_that_ignores_the_graceful_signal_is_killed_after_the_grace_period()
    {
        await using var run = new InProcessRun(task => task.HangAsync()) { Task = "timeout: 0.1s\ngrace_period: 0.1s" };

        var outcome = await run.RunAsync();

        Assert.Equal(RunStatus.TimedOut, outcome.Result.Status);
        Assert.Equal(9, outcome.Result.Signal);
        Assert.Equal([TaskSignal.Terminate, TaskSignal.Continue, TaskSignal.Kill], run.Executor.Last!.Received.Take(3));
        Assert.Contains(run.LogLines(outcome), l => l.Contains("did not end within the 0.1s grace period", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_task_files_cancel_signal_is_the_graceful_signal()
    {
        await using var run = new InProcessRun(async task =>
        {
            await task.WaitForAsync(TaskSignal.Interrupt);
            return new ProcessExit(null, 2);
        }) { Task = "timeout: 0.1s\ncancel_signal: SIGINT" };

        var outcome = await run.RunAsync();

        Assert.Equal(RunStatus.TimedOut, outcome.Result.Status);
        Assert.Equal(TaskSignal.Interrupt, run.Executor.Last!.Received[0]);
    }

    [Fact]
    public async Task Cancelling_the_callers_token_cancels_the_run()
    {
        var launched = new TaskCompletionSource();
        await using var run = InProcessRun.Of(async task =>
        {
            launched.SetResult();
            await task.WaitForAsync(TaskSignal.Terminate);
            return new ProcessExit(null, 15);
        });
        using var cancel = new CancellationTokenSource();

        var running = run.RunAsync(cancellationToken: cancel.Token);
        await launched.Task;
        await cancel.CancelAsync();
        var outcome = await running;

        Assert.Equal((RunStatus.Cancelled, "cancelled by the caller"), (outcome.Result.Status, outcome.Result.Reason));
        Assert.Equal(ExitCodes.For(outcome.Result), outcome.ExitCode);
    }

    [Fact]
    public async Task A_cancel_through_the_relay_carries_its_reason()
    {
        var launched = new TaskCompletionSource();
        await using var run = InProcessRun.Of(async task =>
        {
            launched.SetResult();
            await task.WaitForAsync(TaskSignal.Terminate);
            return new ProcessExit(null, 15);
        });
        var relay = new RunControlRelay();

        var running = run.RunAsync(relay);
        await launched.Task;
        relay.Cancel("lute received SIGINT");
        var outcome = await running;

        Assert.Equal((RunStatus.Cancelled, "lute received SIGINT"), (outcome.Result.Status, outcome.Result.Reason));
        Assert.Equal(RunStatus.Cancelled, (await run.RecordAsync(outcome)).Status);
    }

    [Fact]
    public async Task A_run_cancelled_before_its_launch_is_never_launched()
    {
        await using var run = InProcessRun.Of(_ => Task.FromResult(Success));
        var relay = new RunControlRelay();
        relay.Cancel("cancelled early");

        var outcome = await run.RunAsync(relay);

        Assert.Equal((RunStatus.Cancelled, "cancelled early"), (outcome.Result.Status, outcome.Result.Reason));
        Assert.Empty(run.Executor.Requests);
        Assert.Null((await run.RecordAsync(outcome)).TaskPid);
    }

    [Fact]
    public async Task A_second_cancel_skips_the_grace_period()
    {
        var launched = new TaskCompletionSource();
        await using var run = new InProcessRun(task =>
        {
            launched.SetResult();
            return task.HangAsync();
        }) { Task = "grace_period: 60s" };
        var relay = new RunControlRelay();

        var running = run.RunAsync(relay);
        await launched.Task;
        relay.Cancel("first");
        relay.Cancel("second");
        var outcome = await running;

        Assert.Equal(RunStatus.Cancelled, outcome.Result.Status);
        Assert.Contains(TaskSignal.Kill, run.Executor.Last!.Received);
        Assert.True(outcome.Result.Duration < TimeSpan.FromSeconds(30), $"took {outcome.Result.Duration}");
    }

    [Fact]
    public async Task Stop_and_continue_are_recorded_as_they_happen()
    {
        var launched = new TaskCompletionSource();
        var seen = new List<RunStatus>();
        var heard = Channel.CreateUnbounded<RunStatus>();
        await using var run = InProcessRun.Of(async task =>
        {
            launched.SetResult();
            await task.WaitForAsync(TaskSignal.Stop);
            await task.WaitForAsync(TaskSignal.Continue);
            return Success;
        });
        // The consumer records a status change before it hands the event to hooks: when the hook hears of it, the
        // recorder holds it.
        var probe = new Moq.Mock<IHook>();
        probe.Setup(h => h.OnEventAsync(Moq.It.IsAny<TaskEvent>(), Moq.It.IsAny<HookContext>(), Moq.It.IsAny<CancellationToken>()))
            .Returns(async (TaskEvent e, HookContext _, CancellationToken _) =>
            {
                var recorded = await run.Recorder.GetAsync(1, CancellationToken.None);
                heard.Writer.TryWrite(recorded!.Status);
            });
        run.WithHook("probe", probe.Object);
        run.Configuration = "hooks:\n  - { use: probe, on: [stopped, continued] }";
        var relay = new RunControlRelay();

        var running = run.RunAsync(relay);
        await launched.Task;
        await relay.StopAsync("operator");
        seen.Add(await heard.Reader.ReadAsync());
        await relay.ContinueAsync("operator");
        seen.Add(await heard.Reader.ReadAsync());
        var outcome = await running;

        Assert.Equal([RunStatus.Stopped, RunStatus.Running], seen);
        Assert.Equal(RunStatus.Completed, outcome.Result.Status);
        Assert.Equal([TaskSignal.Stop, TaskSignal.Continue, TaskSignal.Kill], run.Executor.Last!.Received);
    }

    [Fact]
    public async Task The_environment_gives_the_task_its_run_id_task_name_and_socket_and_drops_an_inherited_address()
    {
        var previous = System.Environment.GetEnvironmentVariable("LUTE_ADDRESS");
        System.Environment.SetEnvironmentVariable("LUTE_ADDRESS", "10.0.0.1:4000");
        try
        {
            await using var run = InProcessRun.Of(_ => Task.FromResult(Success));

            var outcome = await run.RunAsync();

            var environment = run.Executor.Requests.Single().Environment;
            Assert.Equal(outcome.Result.Run.RunId.ToString(System.Globalization.CultureInfo.InvariantCulture), environment["LUTE_RUN_ID"]);
            Assert.Equal("Fake", environment["LUTE_TASK_NAME"]);
            Assert.True(File.Exists(environment["LUTE_SOCKET"]) || environment["LUTE_SOCKET"].Length > 0);
            Assert.False(environment.ContainsKey("LUTE_ADDRESS"));
            var recorded = (await run.RecordAsync(outcome)).Environment;
            Assert.Equal(environment["LUTE_SOCKET"], recorded["LUTE_SOCKET"]);
            Assert.True(recorded.ContainsKey("LUTE_ADDRESS") && recorded["LUTE_ADDRESS"] is null, "the inherited address is recorded as unset");
        }
        finally
        {
            System.Environment.SetEnvironmentVariable("LUTE_ADDRESS", previous);
        }
    }

    [Fact]
    public async Task Details_the_executor_sets_at_the_exit_are_recorded_with_those_of_the_launch()
    {
        await using var run = InProcessRun.Of(new FakeExecutor(_ => Task.FromResult(Success)) { Details = new Dictionary<string, string> { ["job"] = "42" } });
        var launched = run.Executor;

        var outcome = await run.RunAsync();

        Assert.Equal("42", outcome.Result.Details["job"]);
        Assert.Equal("42", (await run.RecordAsync(outcome)).Details["job"]);
        Assert.Equal(1, launched.Last!.Disposals);
    }

    [Fact]
    public async Task The_execution_is_disposed_once_and_leftovers_are_killed_after_the_exit()
    {
        await using var run = InProcessRun.Of(_ => Task.FromResult(Success));

        await run.RunAsync();

        Assert.Equal(1, run.Executor.Last!.Disposals);
        Assert.Equal([TaskSignal.Kill], run.Executor.Last.Received);
    }

    [Fact]
    public async Task Output_held_open_after_the_exit_ends_the_drain_at_its_limit_and_the_run_completes()
    {
        await using var run = new InProcessRun(new FakeExecutor(async task =>
        {
            await task.PrintAsync("before the exit");
            return Success;
        }) { HoldsOutputOpen = true }) { DrainTimeout = TimeSpan.FromMilliseconds(200) };

        var outcome = await run.RunAsync();

        Assert.Equal(RunStatus.Completed, outcome.Result.Status);
        var lines = run.LogLines(outcome);
        Assert.Contains(lines, l => l.EndsWith("[Fake stdout] before the exit", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("did not arrive within 0.2s of its exit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_task_files_result_is_the_payload_when_the_task_sends_none()
    {
        await using var run = new InProcessRun(_ => Task.FromResult(Success)) { Task = "result: /data/out.h5" };

        var outcome = await run.RunAsync();

        Assert.Equal("/data/out.h5", outcome.Result.Payload!.Value.GetString());
        Assert.Equal("/data/out.h5", (await run.RecordAsync(outcome)).Payload!.Value.GetString());
    }

    [Fact]
    public async Task A_failing_before_tasklet_fails_the_run_and_the_task_is_never_launched()
    {
        await using var run = new InProcessRun(_ => Task.FromResult(Success))
        {
            Task = "tasklets:\n  before:\n    - name: check\n      command: [sh, -c, 'exit 4']\n      on_failure: fail",
        };

        var outcome = await run.RunAsync();

        Assert.Equal(RunStatus.Failed, outcome.Result.Status);
        Assert.Contains("check", outcome.Result.Reason, StringComparison.Ordinal);
        Assert.Empty(run.Executor.Requests);
    }

    [Fact]
    public async Task A_failing_after_tasklet_fails_a_run_whose_task_succeeded()
    {
        await using var run = new InProcessRun(_ => Task.FromResult(Success))
        {
            Task = "tasklets:\n  after:\n    - name: verify\n      command: [sh, -c, 'exit 5']\n      on_failure: fail",
        };

        var outcome = await run.RunAsync();

        Assert.Equal(RunStatus.Failed, outcome.Result.Status);
        Assert.Equal(0, outcome.Result.ExitCode);
        Assert.Contains("verify", outcome.Result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_tasklets_do_not_run_when_the_task_failed()
    {
        await using var run = new InProcessRun(_ => Task.FromResult(new ProcessExit(1, null)))
        {
            Task = "tasklets:\n  after:\n    - name: verify\n      command: [sh, -c, 'exit 5']\n      on_failure: fail",
        };

        var outcome = await run.RunAsync();

        Assert.Equal((RunStatus.Failed, "exit code 1"), (outcome.Result.Status, outcome.Result.Reason));
    }
}
