using Lute.Contracts;
using Lute.Host.Running;
using Lute.Host.Store;
using Lute.Tests.Integration;
using Lute.Tests.Support;

namespace Lute.Tests.Store;

/// <summary>
/// Control of runs through the PostgreSQL store (the test cluster of scripts/postgres-up.sh): <c>lute stop</c>,
/// <c>continue</c> and <c>cancel</c> reach the runner as requests in the store (LISTEN/NOTIFY, never a signal), only
/// the writer role may make them, and a run whose runner's session ended is ABANDONED by any repair, whatever its
/// host, while a run whose runner holds its lock never is. The same from another host: <c>MultiNodeStoreSpecs</c>.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class PostgresControlSpecs
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Stop_continue_and_cancel_reach_the_runner_through_the_store_and_cancel_ends_the_run_cancelled()
    {
        using var workspace = Workspace.Create();
        await using var database = await PostgresServer.CreateDatabaseAsync();
        var (config, environment) = Configure(workspace, database, PostgresServer.Owner);
        var gate = workspace.MakeFifo("gate");
        var tasks = workspace.Write("tasks.yaml", $$"""
            tasks:
              Held:
                command: [sh, -c, 'echo started; read go < "{{gate}}"; echo past the gate; exec sleep 300']
            """);

        using var run = ChildProcess.Start(Repo.Lute, ["run", tasks, "--config", config], workspace.Root, environment);
        await run.WaitForLineAsync(l => l.EndsWith("[Held stdout] started", StringComparison.Ordinal), Workspace.DefaultTimeout);
        await using var store = await PostgresRunRecorder.OpenAsync(database.ConnectionString(PostgresServer.Owner));

        var stop = await LuteAsync(workspace, config, environment, "stop", "1");
        Assert.True(stop.Code == 0, stop.Output);
        Assert.Contains($"Asked the runner of run 1 (process {run.Id} on {System.Environment.MachineName}) to stop its task, through postgresql://", stop.Output, StringComparison.Ordinal);
        var asker = $"{System.Environment.UserName}@{System.Environment.MachineName}";
        await run.WaitForLineAsync(l => l.Contains($"Task stopped: 'lute stop' from {asker}", StringComparison.Ordinal), Workspace.DefaultTimeout);
        Assert.Equal(RunStatus.Stopped, (await store.GetAsync(1, None))!.Status);

        var resume = await LuteAsync(workspace, config, environment, "continue", "1");
        Assert.True(resume.Code == 0, resume.Output);
        await run.WaitForLineAsync(l => l.Contains($"Task continued: 'lute continue' from {asker}", StringComparison.Ordinal), Workspace.DefaultTimeout);
        await File.WriteAllTextAsync(gate, "go\n");
        await run.WaitForLineAsync(l => l.EndsWith("[Held stdout] past the gate", StringComparison.Ordinal), Workspace.DefaultTimeout);

        var cancel = await LuteAsync(workspace, config, environment, "cancel", "1");
        Assert.True(cancel.Code == 0, cancel.Output);
        Assert.True(await run.WaitForExitAsync(Workspace.DefaultTimeout) == ExitCodes.Cancelled, run.Output);
        var ended = (await store.GetAsync(1, None))!;
        Assert.Equal(RunStatus.Cancelled, ended.Status);
        Assert.Contains($"'lute cancel' from {asker}", ended.Reason, StringComparison.Ordinal);

        // Every request is kept, answered, in the order made; a run that ended is refused, saying so.
        Assert.Equal([("stop", true), ("continue", true), ("cancel", true)], await RequestsAsync(database, 1));
        var late = await LuteAsync(workspace, config, environment, "cancel", "1");
        Assert.True(late.Code == ExitCodes.BadInput, late.Output);
        Assert.Contains("run 1 has already ended (Cancelled)", late.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("evil\n12:00:00 [runner] Run 1 ended COMPLETED (success)")]
    [InlineData("evil\u001b[2J\u001b[1;1H")]
    [InlineData("evil\r12:00:00 [runner] forged")]
    [InlineData("evil\u202egnp.exe")]
    public async Task Who_asked_is_written_escaped_wherever_the_runner_prints_it(string askedBy)
    {
        using var workspace = Workspace.Create();
        await using var database = await PostgresServer.CreateDatabaseAsync();
        var (config, environment) = Configure(workspace, database, PostgresServer.Owner);
        var tasks = workspace.Write("tasks.yaml", "tasks:\n  Held:\n    command: [sh, -c, 'echo started; exec sleep 300']\n");
        using var run = ChildProcess.Start(Repo.Lute, ["run", tasks, "--config", config], workspace.Root, environment);
        await run.WaitForLineAsync(l => l.EndsWith("[Held stdout] started", StringComparison.Ordinal), Workspace.DefaultTimeout);

        // A writer may put any text in asked_by; the runner must neither let it break a line nor move the cursor.
        await using var store = await PostgresRunRecorder.OpenAsync(database.ConnectionString(PostgresServer.Writer));
        Assert.Null(await store.RequestAsync((await store.GetAsync(1, None))!, "cancel", askedBy, None));

        Assert.True(await run.WaitForExitAsync(Workspace.DefaultTimeout) == ExitCodes.Cancelled, run.Output);
        var log = await File.ReadAllTextAsync((await store.GetAsync(1, None))!.LogPath!);
        foreach (var text in new[] { run.Output, log })
        {
            Assert.DoesNotContain('\u001b', text);
            Assert.DoesNotContain('\r', text);
            Assert.DoesNotContain('\u202e', text);
            Assert.DoesNotContain(text.Split('\n'), l => l.StartsWith("12:00:00", StringComparison.Ordinal) || l.Contains("] 12:00:00", StringComparison.Ordinal));
            Assert.Contains("'lute cancel' from evil", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_reader_role_may_not_control_runs_and_a_gone_runner_is_named()
    {
        using var workspace = Workspace.Create();
        await using var database = await PostgresServer.CreateDatabaseAsync();
        var (readerConfig, environment) = Configure(workspace, database, PostgresServer.Reader);
        await using var owner = await PostgresRunRecorder.OpenAsync(database.ConnectionString(PostgresServer.Owner));
        var held = await owner.StartedAsync(SampleRuns.Started(host: "node-7", runnerPid: 4242), None);

        var refused = await LuteAsync(workspace, readerConfig, environment, "cancel", held.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.NotEqual(0, refused.Code);
        Assert.Contains("this role may not do that", refused.Output, StringComparison.Ordinal);
        Assert.Empty(await RequestsAsync(database, held));

        // A runner whose session ended (its process died): asked through the store, it is named as gone.
        long gone;
        await using (var dead = await PostgresRunRecorder.OpenAsync(database.ConnectionString(PostgresServer.Owner)))
        {
            gone = await dead.StartedAsync(SampleRuns.Started(host: "node-8", runnerPid: 4343), None);
        }

        var (ownerConfig, _) = Configure(workspace, database, PostgresServer.Owner, "owner.yaml");
        var answer = await LuteAsync(workspace, ownerConfig, environment, "stop", gone.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(answer.Code == ExitCodes.BadInput, answer.Output);
        Assert.Contains($"the runner of run {gone} (process 4343 on node-8) is gone; 'lute history --repair' marks the run ABANDONED", answer.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Repair_abandons_the_runs_whose_runner_lost_its_session_on_any_host_and_never_one_whose_runner_holds_it()
    {
        await using var database = await PostgresServer.CreateDatabaseAsync();
        await using var living = await PostgresRunRecorder.OpenAsync(database.ConnectionString(PostgresServer.Owner));
        var alive = await living.StartedAsync(SampleRuns.Started(host: "node-1", runnerPid: 11), None);
        long pending, running;
        await using (var dying = await PostgresRunRecorder.OpenAsync(database.ConnectionString(PostgresServer.Writer)))
        {
            pending = await dying.StartedAsync(SampleRuns.Started(host: "node-2", runnerPid: 12), None);
            running = await dying.StartedAsync(SampleRuns.Started(host: "node-3", runnerPid: 13), None);
            await dying.LaunchedAsync(running, SampleRuns.Launched() with { LogPath = null }, None);
            var done = await dying.StartedAsync(SampleRuns.Started(host: "node-3", runnerPid: 14), None);
            await dying.FinishedAsync(done, new FinishedRun { Status = RunStatus.Completed, EndedAt = SampleRuns.Start.AddSeconds(1) }, None);
        }

        // Asked from a host that is none of theirs, with a process check that would call every runner dead.
        await using var repairer = await PostgresRunRecorder.OpenAsync(database.ConnectionString(PostgresServer.Writer));
        var marked = await repairer.MarkAbandonedAsync("elsewhere", (_, _) => false, DateTimeOffset.UtcNow.AddMinutes(1), None);

        Assert.Equal([pending, running], marked.Select(r => r.Id));
        Assert.Equal("the runner (process 12 on node-2) ended without recording an outcome before the task was launched", marked[0].Reason);
        Assert.Equal("the runner (process 13 on node-3) ended without recording an outcome; the task was RUNNING then", marked[1].Reason);
        Assert.Equal(RunStatus.Pending, (await repairer.GetAsync(alive, None))!.Status);
        Assert.Equal(RunStatus.Completed, (await repairer.GetAsync(4, None))!.Status);

        // Once its outcome is recorded, the living runner lets its run go: nothing is left to abandon.
        await living.FinishedAsync(alive, new FinishedRun { Status = RunStatus.Completed, EndedAt = DateTimeOffset.UtcNow }, None);
        Assert.Empty(await repairer.MarkAbandonedAsync("elsewhere", (_, _) => false, DateTimeOffset.UtcNow, None));
        Assert.Equal(RunStatus.Completed, (await repairer.GetAsync(alive, None))!.Status);
    }

    [Fact]
    public async Task A_runner_killed_with_sigkill_is_abandoned_by_the_next_repair_from_its_lock_alone()
    {
        using var workspace = Workspace.Create();
        await using var database = await PostgresServer.CreateDatabaseAsync();
        var (config, environment) = Configure(workspace, database, PostgresServer.Owner);
        var tasks = workspace.Write("tasks.yaml", """
            tasks:
              Doomed:
                command: [sh, -c, 'echo started; exec sleep 300']
            """);

        using var run = ChildProcess.Start(Repo.Lute, ["run", tasks, "--config", config], workspace.Root, environment);
        await run.WaitForLineAsync(l => l.EndsWith("[Doomed stdout] started", StringComparison.Ordinal), Workspace.DefaultTimeout);
        await using var store = await PostgresRunRecorder.OpenAsync(database.ConnectionString(PostgresServer.Owner));
        var taskPid = (await store.GetAsync(1, None))!.TaskPid;
        Assert.Empty(await store.MarkAbandonedAsync("elsewhere", (_, _) => false, DateTimeOffset.UtcNow, None));

        run.Signal(9);
        await run.WaitForExitAsync(Workspace.DefaultTimeout);
        if (taskPid is { } pid && ProcessTable.IsAlive(pid))
        {
            ProcessTable.KillGroup(pid);
        }

        // The server ends the dead runner's session when its socket closes, a moment later: wait for that on the
        // server itself (this blocks until the lock is free), then ask the way an operator would.
        await using (var connection = await database.OpenAsync(PostgresServer.Owner))
        {
            await PostgresServer.ExecuteAsync(connection, "SET lock_timeout = '30s'; SELECT pg_advisory_lock(1); SELECT pg_advisory_unlock(1);");
        }

        var status = await LuteAsync(workspace, config, environment, "history", "--repair");
        Assert.Contains("ABANDONED", status.Output, StringComparison.Ordinal);
        var abandoned = (await store.GetAsync(1, None))!;
        Assert.Equal(RunStatus.Abandoned, abandoned.Status);
        Assert.Equal($"the runner (process {run.Id} on {System.Environment.MachineName}) ended without recording an outcome; the task was RUNNING then", abandoned.Reason);
    }

    private static (string Config, IReadOnlyDictionary<string, string?> Environment) Configure(Workspace workspace, PostgresDatabase database, string role, string name = "postgres.yaml")
    {
        var config = workspace.Write(name, $"logs: logs\nstore: postgresql://{role}@127.0.0.1:{PostgresServer.Port}/{database.Name}\n");
        return (config, new Dictionary<string, string?> { ["PGPASSFILE"] = PostgresServer.PassFile, ["PGPASSWORD"] = null });
    }

    private static async Task<List<(string Verb, bool Answered)>> RequestsAsync(PostgresDatabase database, long run)
    {
        await using var connection = await database.OpenAsync(PostgresServer.Owner);
        await using var command = new Npgsql.NpgsqlCommand("SELECT verb, answered_at IS NOT NULL FROM run_requests WHERE run_id = @id ORDER BY id;", connection);
        command.Parameters.AddWithValue("id", run);
        await using var reader = await command.ExecuteReaderAsync();
        var requests = new List<(string, bool)>();
        while (await reader.ReadAsync())
        {
            requests.Add((reader.GetString(0), reader.GetBoolean(1)));
        }

        return requests;
    }

    private static async Task<(int Code, string Output)> LuteAsync(Workspace workspace, string config, IReadOnlyDictionary<string, string?> environment, params string[] command)
    {
        using var process = ChildProcess.Start(Repo.Lute, [.. command, "--config", config], workspace.Root, environment);
        var code = await process.WaitForExitAsync(Workspace.DefaultTimeout);
        return (code, process.Output);
    }
}
