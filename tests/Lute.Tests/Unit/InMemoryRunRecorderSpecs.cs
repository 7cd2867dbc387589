using Lute.Contracts;
using Lute.Host.Store;

namespace Lute.Tests.Unit;

/// <summary>The in-memory recorder's failures on demand, for tests of what a runner does when the store fails.</summary>
public sealed class InMemoryRunRecorderSpecs
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static readonly DateTimeOffset Start = new(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);

    private static NewRun Started() => new()
    {
        Task = "t",
        Executor = "local",
        StartedAt = Start,
        Host = "h",
        RunnerPid = 1,
        Command = ["true"],
        Parameters = new Dictionary<string, string>(),
        Environment = new Dictionary<string, string?>(),
    };

    private static LaunchedRun Launched() => new()
    {
        TaskPid = 2,
        Details = new Dictionary<string, string>(),
        Communicators = [],
        Environment = new Dictionary<string, string?>(),
    };

    private static FinishedRun Finished() => new() { Status = RunStatus.Completed, EndedAt = Start };

    public static TheoryData<string, string> Operations => new()
    {
        { InMemoryRunRecorder.StartedOperation, "cannot record the run in the result store '(in memory)'" },
        { InMemoryRunRecorder.LaunchedOperation, "cannot record the launch in the result store '(in memory)'" },
        { InMemoryRunRecorder.StatusOperation, "cannot record the task's status in the result store '(in memory)'" },
        { InMemoryRunRecorder.FinishedOperation, "cannot record the outcome in the result store '(in memory)'" },
        { InMemoryRunRecorder.ReadOperation, "cannot read runs in the result store '(in memory)'" },
        { InMemoryRunRecorder.AbandonedOperation, "cannot mark abandoned runs in the result store '(in memory)'" },
    };

    private static Task Call(IRunRecorder recorder, string operation, long id) => operation switch
    {
        InMemoryRunRecorder.StartedOperation => recorder.StartedAsync(Started(), None),
        InMemoryRunRecorder.LaunchedOperation => recorder.LaunchedAsync(id, Launched(), None),
        InMemoryRunRecorder.StatusOperation => recorder.StatusChangedAsync(id, RunStatus.Stopped, None),
        InMemoryRunRecorder.FinishedOperation => recorder.FinishedAsync(id, Finished(), None),
        InMemoryRunRecorder.ReadOperation => recorder.GetAsync(id, None),
        _ => recorder.MarkAbandonedAsync("h", (_, _) => false, Start, None),
    };

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task The_named_operation_fails_with_a_store_error_and_the_others_work(string operation, string message)
    {
        var failing = false;
        await using var recorder = new InMemoryRunRecorder(name => failing && name == operation);
        var id = await recorder.StartedAsync(Started(), None);
        await recorder.LaunchedAsync(id, Launched(), None);
        failing = true;

        var error = await Assert.ThrowsAsync<StoreException>(() => Call(recorder, operation, id));
        foreach (var other in Operations.Select(row => (string)row[0]).Where(o => o != operation && o != InMemoryRunRecorder.FinishedOperation && o != InMemoryRunRecorder.AbandonedOperation))
        {
            await Call(recorder, other, id);
        }

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        failing = false;
        await Call(recorder, operation, id);
    }

    [Fact]
    public async Task A_failed_write_changes_nothing()
    {
        var failFinish = true;
        await using var recorder = new InMemoryRunRecorder(name => failFinish && name == InMemoryRunRecorder.FinishedOperation);
        var id = await recorder.StartedAsync(Started(), None);
        await recorder.LaunchedAsync(id, Launched(), None);

        await Assert.ThrowsAsync<StoreException>(() => recorder.FinishedAsync(id, Finished(), None));
        var run = await recorder.GetAsync(id, None);
        failFinish = false;
        await recorder.FinishedAsync(id, Finished(), None);

        Assert.Equal(RunStatus.Running, run!.Status);
        Assert.Null(run.EndedAt);
        Assert.Equal(RunStatus.Completed, (await recorder.GetAsync(id, None))!.Status);
    }

    [Fact]
    public async Task Writes_are_copied_so_that_a_caller_changing_its_collections_later_changes_no_record()
    {
        await using var recorder = new InMemoryRunRecorder();
        var details = new Dictionary<string, string> { ["pid"] = "2" };
        var id = await recorder.StartedAsync(Started(), None);

        await recorder.LaunchedAsync(id, Launched() with { Details = details }, None);
        details["pgid"] = "2";

        Assert.Equal([KeyValuePair.Create("pid", "2")], (await recorder.GetAsync(id, None))!.Details);
    }

    [Fact]
    public async Task Concurrent_runs_get_distinct_ids()
    {
        await using var recorder = new InMemoryRunRecorder();

        var ids = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => recorder.StartedAsync(Started(), None))));

        Assert.Equal(Enumerable.Range(1, 64).Select(i => (long)i), ids.Order());
        Assert.Equal(64, (await recorder.HistoryAsync(100, null, None)).Count);
    }
}
