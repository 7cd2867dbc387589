using System.Text.Json;
using System.Text.Json.Nodes;
using Lute.Contracts;
using Lute.Host.Configuration;
using Lute.Host.Running;
using Lute.Host.Store;
using Moq;

namespace Lute.Tests.Core;

/// <summary>The run's life cycle in process, as hooks and the recorder see it, and when either fails.</summary>
public sealed class RunHooksAndStoreSpecs
{
    private static readonly ProcessExit Success = new(0, null);

    [Fact]
    public async Task Hooks_are_called_in_the_configured_order_for_each_event_of_the_life_cycle()
    {
        var calls = new List<string>();
        await using var run = InProcessRun.Of(_ => Task.FromResult(Success));
        run.WithHook("first", Recording("first", calls).Object).WithHook("second", Recording("second", calls).Object);
        run.Configuration = "hooks:\n  - { use: first, on: [run_start, launched, exited, done] }\n  - { use: second, on: [run_start, launched, exited, done] }";

        await run.RunAsync();

        Assert.Equal(
            ["first run_start", "second run_start", "first launched", "second launched", "first exited", "second exited", "first done", "second done"],
            calls);
    }

    [Fact]
    public async Task The_end_event_carries_the_outcome_that_is_recorded()
    {
        RunResult? heard = null;
        var hook = new Mock<IHook>();
        hook.Setup(h => h.OnEventAsync(It.IsAny<RunEndedEvent>(), It.IsAny<HookContext>(), It.IsAny<CancellationToken>()))
            .Callback((TaskEvent e, HookContext _, CancellationToken _) => heard = ((RunEndedEvent)e).Result)
            .Returns(ValueTask.CompletedTask);
        await using var run = InProcessRun.Of(_ => Task.FromResult(new ProcessExit(2, null)));
        run.WithHook("end", hook.Object);
        run.Configuration = "hooks:\n  - { use: end, on: [run_end] }";

        var outcome = await run.RunAsync();

        Assert.NotNull(heard);
        Assert.Equal((outcome.Result.Status, outcome.Result.Reason, outcome.Result.ExitCode), (heard.Status, heard.Reason, heard.ExitCode));
        hook.Verify(h => h.OnEventAsync(It.IsAny<RunEndedEvent>(), It.IsAny<HookContext>(), It.IsAny<CancellationToken>()), Times.Once());
    }

    [Fact]
    public async Task A_critical_hook_that_fails_cancels_the_task_and_fails_the_run_and_the_end_event_says_so()
    {
        var launched = new TaskCompletionSource();
        RunResult? heard = null;
        var critical = new Mock<IHook>();
        critical.Setup(h => h.OnEventAsync(It.IsAny<TaskLaunchedEvent>(), It.IsAny<HookContext>(), It.IsAny<CancellationToken>()))
            .Returns(async (TaskEvent _, HookContext _, CancellationToken _) =>
            {
                await launched.Task;
                throw new InvalidOperationException("elog is down");
            });
        critical.Setup(h => h.OnEventAsync(It.IsAny<RunEndedEvent>(), It.IsAny<HookContext>(), It.IsAny<CancellationToken>()))
            .Callback((TaskEvent e, HookContext _, CancellationToken _) => heard = ((RunEndedEvent)e).Result)
            .Returns(ValueTask.CompletedTask);
        await using var run = InProcessRun.Of(async task =>
        {
            launched.SetResult();
            await task.WaitForAsync(TaskSignal.Terminate);
            return new ProcessExit(null, 15);
        });
        run.WithHook("elog", critical.Object);
        run.Configuration = "hooks:\n  - { use: elog, on: [launched, run_end], critical: true }";

        var outcome = await run.RunAsync();

        const string Reason = "critical hook 'elog' failed on event 'launched': elog is down";
        Assert.Equal((RunStatus.Failed, Reason), (outcome.Result.Status, outcome.Result.Reason));
        Assert.Equal((RunStatus.Failed, Reason), (heard!.Status, heard.Reason));
        var record = await run.RecordAsync(outcome);
        Assert.Equal((RunStatus.Failed, Reason), (record.Status, record.Reason));
        Assert.Contains(record.HookErrors, e => e.Hook == "elog" && e.Event == "launched");
    }

    [Fact]
    public async Task A_critical_hook_that_fails_on_the_end_event_still_fails_the_run()
    {
        var hook = new Mock<IHook>();
        hook.Setup(h => h.OnEventAsync(It.IsAny<RunEndedEvent>(), It.IsAny<HookContext>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("cannot post"));
        await using var run = InProcessRun.Of(_ => Task.FromResult(Success));
        run.WithHook("poster", hook.Object);
        run.Configuration = "hooks:\n  - { use: poster, on: [run_end], critical: true }";

        var outcome = await run.RunAsync();

        Assert.Equal(RunStatus.Failed, outcome.Result.Status);
        Assert.Equal("critical hook 'poster' failed on event 'done': cannot post", outcome.Result.Reason);
        Assert.Equal(RunStatus.Failed, (await run.RecordAsync(outcome)).Status);
    }

    [Fact]
    public async Task A_hook_that_throws_is_recorded_and_the_run_goes_on()
    {
        var hook = new Mock<IHook>();
        hook.Setup(h => h.OnEventAsync(It.IsAny<TaskEvent>(), It.IsAny<HookContext>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("boom"));
        await using var run = InProcessRun.Of(_ => Task.FromResult(Success));
        run.WithHook("flaky", hook.Object);
        run.Configuration = "hooks:\n  - { use: flaky, on: [launched] }";

        var outcome = await run.RunAsync();

        Assert.Equal(RunStatus.Completed, outcome.Result.Status);
        var error = Assert.Single((await run.RecordAsync(outcome)).HookErrors);
        Assert.Equal(("flaky", "launched"), (error.Hook, error.Event));
        Assert.Contains("boom", error.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_is_answered_by_the_bound_handler()
    {
        var handler = new Mock<IRequestHandler>();
        handler.Setup(h => h.HandleAsync(It.IsAny<TaskMessage>(), It.IsAny<HookContext>(), It.IsAny<CancellationToken>()))
            .Returns((TaskMessage m, HookContext _, CancellationToken _) => ValueTask.FromResult<TaskReply?>(TaskReply.Answer(JsonSerializer.SerializeToElement(new { echo = m.Contents.GetProperty("q").GetString() }))));
        JsonNode? answer = null;
        await using var run = InProcessRun.Of(async task =>
        {
            await using var client = await task.ConnectAsync();
            answer = await client.RequestAsync(new JsonObject { ["q"] = "calibration" });
            return Success;
        });
        run.WithHook("answers", handler.Object);
        run.Configuration = "hooks:\n  - { use: answers, on: [request] }";

        var outcome = await run.RunAsync();

        Assert.Equal(RunStatus.Completed, outcome.Result.Status);
        Assert.Equal("calibration", answer!["echo"]!.GetValue<string>());
        handler.Verify(h => h.HandleAsync(It.IsAny<TaskMessage>(), It.IsAny<HookContext>(), It.IsAny<CancellationToken>()), Times.Once());
    }

    [Fact]
    public async Task The_recorder_is_told_of_the_start_the_launch_and_the_end_once_each_in_that_order()
    {
        var recorder = new Mock<IRunRecorder>(MockBehavior.Strict);
        var order = new MockSequence();
        recorder.InSequence(order).Setup(r => r.StartedAsync(It.Is<NewRun>(n => n.Task == "Fake" && n.Executor == "fake"), It.IsAny<CancellationToken>())).ReturnsAsync(41L);
        recorder.InSequence(order).Setup(r => r.LaunchedAsync(41L, It.Is<LaunchedRun>(l => l.Communicators.Count == 2 && l.Details["fake"] == "yes"), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        recorder.InSequence(order).Setup(r => r.FinishedAsync(41L, It.Is<FinishedRun>(f => f.Status == RunStatus.Completed && f.ExitCode == 0), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        recorder.Setup(r => r.DisposeAsync()).Returns(ValueTask.CompletedTask);
        await using var run = InProcessRun.Of(_ => Task.FromResult(Success));

        var outcome = await run.RunAsync(recorder.Object);

        Assert.True(outcome.Recorded);
        Assert.Equal(41L, outcome.Result.Run.RunId);
        recorder.Verify(r => r.StartedAsync(It.IsAny<NewRun>(), It.IsAny<CancellationToken>()), Times.Once());
        recorder.Verify(r => r.LaunchedAsync(It.IsAny<long>(), It.IsAny<LaunchedRun>(), It.IsAny<CancellationToken>()), Times.Once());
        recorder.Verify(r => r.FinishedAsync(It.IsAny<long>(), It.IsAny<FinishedRun>(), It.IsAny<CancellationToken>()), Times.Once());
        recorder.Verify(r => r.StatusChangedAsync(It.IsAny<long>(), It.IsAny<RunStatus>(), It.IsAny<CancellationToken>()), Times.Never());
    }

    [Fact]
    public async Task A_store_that_fails_at_the_start_does_not_stop_the_task_and_the_outcome_says_it_is_not_recorded()
    {
        var ran = false;
        await using var run = new InProcessRun(_ => { ran = true; return Task.FromResult(Success); }, storeFails: op => op == InMemoryRunRecorder.StartedOperation);

        var outcome = await run.RunAsync();

        Assert.True(ran);
        Assert.Equal(RunStatus.Completed, outcome.Result.Status);
        Assert.False(outcome.Recorded);
        Assert.NotNull(outcome.StoreProblem);
        Assert.StartsWith("unrecorded-", Path.GetFileName(outcome.LogPath), StringComparison.Ordinal);
        Assert.Contains(run.LogLines(outcome), l => l.Contains("The run is NOT recorded", StringComparison.Ordinal));
        Assert.Empty(await run.Recorder.HistoryAsync(10, null, CancellationToken.None));
    }

    [Fact]
    public async Task A_store_that_fails_at_the_launch_still_gets_the_outcome()
    {
        await using var run = new InProcessRun(_ => Task.FromResult(Success), storeFails: op => op == InMemoryRunRecorder.LaunchedOperation);

        var outcome = await run.RunAsync();

        Assert.True(outcome.Recorded);
        Assert.Equal(RunStatus.Completed, (await run.RecordAsync(outcome)).Status);
        Assert.Contains(run.LogLines(outcome), l => l.Contains("could not be written to the result store", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_store_that_fails_at_the_end_leaves_the_result_standing_and_says_it_is_not_recorded()
    {
        await using var run = new InProcessRun(_ => Task.FromResult(new ProcessExit(4, null)), storeFails: op => op == InMemoryRunRecorder.FinishedOperation);

        var outcome = await run.RunAsync();

        Assert.Equal((RunStatus.Failed, "exit code 4"), (outcome.Result.Status, outcome.Result.Reason));
        Assert.False(outcome.Recorded);
        Assert.NotNull(outcome.StoreProblem);
        Assert.Equal(ExitCodes.For(outcome.Result), outcome.ExitCode);
        Assert.Equal(RunStatus.Running, (await run.RecordAsync(outcome)).Status);
    }

    [Fact]
    public async Task A_communicator_from_the_components_replaces_the_unix_socket()
    {
        var session = new Mock<ICommunicatorSession>();
        session.SetupGet(s => s.Description).Returns("carrier pigeon");
        session.SetupGet(s => s.TaskEnvironment).Returns(new Dictionary<string, string> { ["PIGEON"] = "loft 3" });
        session.Setup(s => s.AttachAsync(It.IsAny<IExecution>(), It.IsAny<CancellationToken>())).Returns(ValueTask.CompletedTask);
        session.Setup(s => s.DrainAsync(It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        session.Setup(s => s.DisposeAsync()).Returns(ValueTask.CompletedTask);
        var communicator = new Mock<ICommunicator>();
        communicator.Setup(c => c.OpenAsync(It.IsAny<CommunicatorContext>(), It.IsAny<CancellationToken>())).ReturnsAsync(session.Object);
        await using var run = InProcessRun.Of(_ => Task.FromResult(Success));
        run.Components.With(Lute.Host.Plugins.ComponentKind.Communicator, "pigeon", communicator.Object);
        run.Components.ExecutorSettings = new PluginSettings(new Dictionary<string, string> { ["communicator"] = "pigeon" });

        var outcome = await run.RunAsync();

        var environment = run.Executor.Requests.Single().Environment;
        Assert.Equal("loft 3", environment["PIGEON"]);
        Assert.False(environment.ContainsKey("LUTE_SOCKET"));
        Assert.Equal(["standard output and error", "carrier pigeon"], (await run.RecordAsync(outcome)).Communicators);
        session.Verify(s => s.AttachAsync(run.Executor.Last!, It.IsAny<CancellationToken>()), Times.Once());
        session.Verify(s => s.DisposeAsync(), Times.Once());
    }

    [Fact]
    public async Task A_communicator_name_nothing_provides_is_bad_input_and_nothing_is_recorded()
    {
        await using var run = InProcessRun.Of(_ => Task.FromResult(Success));
        run.Components.ExecutorSettings = new PluginSettings(new Dictionary<string, string> { ["communicator"] = "carrier-pigeon" });

        var error = await Assert.ThrowsAnyAsync<LuteException>(() => run.RunAsync());

        Assert.Contains("setting 'communicator' must be unix or tcp, not 'carrier-pigeon'", error.Message, StringComparison.Ordinal);
        Assert.Empty(await run.Recorder.HistoryAsync(10, null, CancellationToken.None));
        Assert.Empty(run.Executor.Requests);
    }

    [Fact]
    public async Task An_executor_nothing_provides_is_bad_input_at_the_place_that_names_it_and_nothing_is_recorded()
    {
        await using var run = new InProcessRun(_ => Task.FromResult(Success)) { ExecutorName = "nowhere" };

        var error = await Assert.ThrowsAsync<ConfigurationException>(() => run.RunAsync());

        Assert.Contains("no executor named 'nowhere'", error.Message, StringComparison.Ordinal);
        Assert.Empty(await run.Recorder.HistoryAsync(10, null, CancellationToken.None));
    }

    private static Mock<IHook> Recording(string name, List<string> calls)
    {
        var hook = new Mock<IHook>();
        hook.Setup(h => h.OnEventAsync(It.IsAny<TaskEvent>(), It.IsAny<HookContext>(), It.IsAny<CancellationToken>()))
            .Callback((TaskEvent e, HookContext _, CancellationToken _) =>
            {
                lock (calls)
                {
                    calls.Add($"{name} {e.Name}");
                }
            })
            .Returns(ValueTask.CompletedTask);
        return hook;
    }
}
