using System.Text.Json;
using Lute.Contracts;
using Lute.Host.Store;
using Lute.Tests.Support;
using static Lute.Tests.Support.SampleRuns;

namespace Lute.Tests.Unit;

/// <summary>What every <see cref="IRunRecorder"/> does, asked of the SQLite store and of the in-memory recorder alike.</summary>
public sealed class RunRecorderSpecs : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("lute-recorder-specs-");

    public static TheoryData<string> Recorders => SampleRuns.Recorders;

    public void Dispose() => _folder.Delete(recursive: true);

    private Task<IRunRecorder> OpenAsync(string kind) => SampleRuns.OpenAsync(kind, _folder.FullName);

    [Theory]
    [MemberData(nameof(Recorders))]
    public async Task Every_field_round_trips_through_start_launch_and_finish(string kind)
    {
        // Arrange
        await using var recorder = await OpenAsync(kind);
        var (started, launched, finished) = (Started(), Launched(), Finished());

        // Act
        var id = await recorder.StartedAsync(started, None);
        var pending = await recorder.GetAsync(id, None);
        var beforeLaunch = DateTimeOffset.UtcNow;
        await recorder.LaunchedAsync(id, launched, None);
        var running = await recorder.GetAsync(id, None);
        await recorder.FinishedAsync(id, finished, None);
        var ended = await recorder.GetAsync(id, None);

        // Assert
        var expectedPending = new RunRecord
        {
            Id = id,
            Task = started.Task,
            TaskFullName = started.TaskFullName,
            Description = started.Description,
            LastSeenAt = Start,
            TaskFile = started.TaskFile,
            Executor = started.Executor,
            Experiment = started.Experiment,
            ExperimentRun = started.ExperimentRun,
            Status = RunStatus.Pending,
            StartedAt = Start,
            Host = started.Host,
            RunnerPid = started.RunnerPid,
            Command = started.Command,
            // The store's order: sorted by key.
            Parameters = new Dictionary<string, string> { ["Q"] = "don't", ["aa"] = "1", ["zz"] = "Grüße" },
            Environment = new Dictionary<string, string?> { ["GONE"] = null, ["MODE"] = "fast" },
            WorkDirectory = started.WorkDirectory,
        };
        RecordAssert.Same(expectedPending, pending);
        Assert.InRange(running!.LastSeenAt!.Value, beforeLaunch, DateTimeOffset.UtcNow);
        var expectedRunning = expectedPending with
        {
            Status = RunStatus.Running,
            TaskPid = 5555,
            // At launch, in the executor's order.
            Details = launched.Details,
            Communicators = launched.Communicators,
            LogPath = launched.LogPath,
            Environment = new Dictionary<string, string?> { ["GONE"] = null, ["LUTE_RUN_ID"] = "1", ["MODE"] = "fast" },
            LastSeenAt = running.LastSeenAt,
        };
        RecordAssert.Same(expectedRunning, running);
        var expectedEnded = expectedRunning with
        {
            Status = RunStatus.Failed,
            ExitCode = 3,
            Signal = 15,
            Reason = finished.Reason,
            LaunchFailed = true,
            EndedAt = finished.EndedAt,
            LastSeenAt = finished.EndedAt,
            Summary = new Dictionary<string, string> { ["count"] = "3", ["mood"] = "🚀 it's" },
            Payload = finished.Payload,
            Metadata = new Dictionary<string, JsonElement> { ["alpha"] = finished.Metadata["alpha"], ["zeta"] = finished.Metadata["zeta"] },
            Details = new Dictionary<string, string> { ["pgid"] = "5555", ["pid"] = "5555", ["slurm_job_id"] = "77" },
            ReportPath = finished.ReportPath,
            Undelivered = finished.Undelivered,
            HookErrors = finished.HookErrors,
        };
        RecordAssert.Same(expectedEnded, ended);
        Assert.Equal(TimeSpan.Zero, ended!.StartedAt.Offset);
        Assert.Equal(TimeSpan.Zero, ended.EndedAt!.Value.Offset);
    }

    [Theory]
    [MemberData(nameof(Recorders))]
    public async Task An_outcome_without_details_or_log_keeps_those_of_the_launch_and_empty_values_read_back_empty(string kind)
    {
        await using var recorder = await OpenAsync(kind);
        var id = await recorder.StartedAsync(Started() with { Parameters = new Dictionary<string, string>(), Environment = new Dictionary<string, string?>() }, None);
        await recorder.LaunchedAsync(id, Launched(), None);

        await recorder.FinishedAsync(id, new FinishedRun { Status = RunStatus.Completed, ExitCode = 0, EndedAt = Start.AddSeconds(1) }, None);
        var run = await recorder.GetAsync(id, None);

        Assert.NotNull(run);
        Assert.Equal(Launched().Details, run.Details);
        Assert.Equal(Launched().LogPath, run.LogPath);
        Assert.Empty(run.Parameters);
        Assert.Empty(run.Summary);
        Assert.Empty(run.Metadata);
        Assert.Null(run.Payload);
        Assert.Null(run.ReportPath);
        Assert.Empty(run.Undelivered);
        Assert.Empty(run.HookErrors);
    }

    [Theory]
    [MemberData(nameof(Recorders))]
    public async Task A_json_null_payload_is_a_payload(string kind)
    {
        await using var recorder = await OpenAsync(kind);
        var id = await recorder.StartedAsync(Started(), None);

        await recorder.FinishedAsync(id, new FinishedRun { Status = RunStatus.Completed, EndedAt = Start, Payload = Json("null") }, None);
        var run = await recorder.GetAsync(id, None);

        Assert.Equal(JsonValueKind.Null, run!.Payload?.ValueKind);
    }

    [Theory]
    [MemberData(nameof(Recorders))]
    public async Task A_task_stops_and_runs_again_but_a_status_change_never_overwrites_an_outcome(string kind)
    {
        await using var recorder = await OpenAsync(kind);
        var pendingId = await recorder.StartedAsync(Started(), None);
        var id = await recorder.StartedAsync(Started(), None);
        await recorder.LaunchedAsync(id, Launched(), None);

        await recorder.StatusChangedAsync(pendingId, RunStatus.Stopped, None);
        await recorder.StatusChangedAsync(id, RunStatus.Stopped, None);
        var stopped = await recorder.GetAsync(id, None);
        await recorder.StatusChangedAsync(id, RunStatus.Running, None);
        var again = await recorder.GetAsync(id, None);
        await recorder.FinishedAsync(id, new FinishedRun { Status = RunStatus.Completed, EndedAt = Start.AddSeconds(5) }, None);
        await recorder.StatusChangedAsync(id, RunStatus.Stopped, None);
        var ended = await recorder.GetAsync(id, None);

        Assert.Equal(RunStatus.Pending, (await recorder.GetAsync(pendingId, None))!.Status);
        Assert.Equal(RunStatus.Stopped, stopped!.Status);
        Assert.Equal(RunStatus.Running, again!.Status);
        Assert.Equal(RunStatus.Completed, ended!.Status);
        Assert.Equal(Start.AddSeconds(5), ended.LastSeenAt);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => recorder.StatusChangedAsync(id, RunStatus.Completed, None));
    }

    [Theory]
    [MemberData(nameof(Recorders))]
    public async Task History_filters_by_base_name_or_name_as_given_newest_first(string kind)
    {
        await using var recorder = await OpenAsync(kind);
        var first = await recorder.StartedAsync(Started("Index"), None);
        await recorder.StartedAsync(Started("Other"), None);
        var third = await recorder.StartedAsync(Started("Index"), None);

        Assert.Equal([third, first], (await recorder.HistoryAsync(10, "Index", None)).Select(r => r.Id));
        Assert.Equal([third, first], (await recorder.HistoryAsync(10, "Index_01", None)).Select(r => r.Id));
        Assert.Equal([third], (await recorder.HistoryAsync(1, null, None)).Select(r => r.Id));
        Assert.Empty(await recorder.HistoryAsync(0, null, None));
    }

    [Theory]
    [MemberData(nameof(Recorders))]
    public async Task Runs_of_a_slurm_job_are_found_by_job_or_allocation(string kind)
    {
        await using var recorder = await OpenAsync(kind);
        var step = await recorder.StartedAsync(Started(), None);
        await recorder.LaunchedAsync(step, Launched() with { Details = new Dictionary<string, string> { ["slurm_job_id"] = "77" } }, None);
        var inside = await recorder.StartedAsync(Started(), None);
        await recorder.FinishedAsync(inside, Finished() with { Details = new Dictionary<string, string> { ["slurm_allocation"] = "77" } }, None);
        var elsewhere = await recorder.StartedAsync(Started(), None);
        await recorder.LaunchedAsync(elsewhere, Launched() with { Details = new Dictionary<string, string> { ["slurm_job_id"] = "78" } }, None);

        var runs = await recorder.ForSlurmJobAsync("77", None);

        Assert.Equal([inside, step], runs.Select(r => r.Id));
        Assert.Empty(await recorder.ForSlurmJobAsync("7", None));
    }

    [Theory]
    [MemberData(nameof(SampleRuns.ProcessCheckingRecorders), MemberType = typeof(SampleRuns))]
    public async Task Unfinished_runs_of_this_host_whose_runner_is_gone_are_marked_abandoned_at_their_last_sign_of_life(string kind)
    {
        await using var recorder = await OpenAsync(kind);
        var pending = await recorder.StartedAsync(Started(runnerPid: 11), None);
        var running = await recorder.StartedAsync(Started(runnerPid: 12), None);
        await recorder.LaunchedAsync(running, Launched() with { LogPath = null }, None);
        var stopped = await recorder.StartedAsync(Started(runnerPid: 13), None);
        await recorder.LaunchedAsync(stopped, Launched() with { LogPath = null }, None);
        await recorder.StatusChangedAsync(stopped, RunStatus.Stopped, None);
        var alive = await recorder.StartedAsync(Started(runnerPid: 14), None);
        var otherHost = await recorder.StartedAsync(Started(host: "node-2", runnerPid: 15), None);
        var done = await recorder.StartedAsync(Started(runnerPid: 16), None);
        await recorder.FinishedAsync(done, new FinishedRun { Status = RunStatus.Completed, EndedAt = Start.AddSeconds(1) }, None);
        var now = DateTimeOffset.UtcNow.AddMinutes(1);

        var marked = await recorder.MarkAbandonedAsync("node-1", (pid, started) => pid == 14 && started == Start, now, None);
        var again = await recorder.MarkAbandonedAsync("node-1", (_, _) => false, now, None);

        Assert.Equal([pending, running, stopped], marked.Select(r => r.Id));
        Assert.All(marked, r => Assert.Equal(RunStatus.Abandoned, r.Status));
        Assert.Equal("the runner (process 11 on node-1) ended without recording an outcome before the task was launched", marked[0].Reason);
        Assert.Equal("the runner (process 12 on node-1) ended without recording an outcome; the task was RUNNING then", marked[1].Reason);
        Assert.Equal("the runner (process 13 on node-1) ended without recording an outcome; the task was STOPPED then", marked[2].Reason);
        Assert.Equal(Start, marked[0].EndedAt);
        foreach (var run in marked)
        {
            var stored = await recorder.GetAsync(run.Id, None);
            Assert.Equal(RunStatus.Abandoned, stored!.Status);
            Assert.Equal(run.Reason, stored.Reason);
            Assert.Equal(run.EndedAt, stored.EndedAt);
            Assert.Equal(stored.LastSeenAt, stored.EndedAt);
        }

        Assert.Equal([alive], again.Select(r => r.Id));
        Assert.Equal(RunStatus.Pending, (await recorder.GetAsync(otherHost, None))!.Status);
        Assert.Equal(RunStatus.Completed, (await recorder.GetAsync(done, None))!.Status);
    }
}
