using Lute.Contracts;
using Lute.Host.Running;
using Lute.Tests.Integration;
using Lute.Tests.Support;

namespace Lute.Tests.Reliability;

/// <summary>
/// A result store or log folder that cannot be written does not cost the task its run: the outcome is printed, logged
/// where possible and returned as the exit code, and the problem is named with what to do about it.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class StorageFaultSpecs
{
    private const string FailingTask = """
        tasks:
          Echo:
            command: [sh, -c, 'echo working; exit 3']
        """;

    [Fact]
    public async Task A_corrupt_store_is_named_with_the_fix_the_task_still_runs_and_its_exit_code_is_returned()
    {
        using var workspace = Workspace.Create();
        Directory.CreateDirectory(Path.GetDirectoryName(workspace.StorePath)!);
        var garbage = new byte[8192];
        new Random(6).NextBytes(garbage);
        await File.WriteAllBytesAsync(workspace.StorePath, garbage);

        var (code, process) = await workspace.RunTaskAsync(FailingTask);

        Assert.True(code == ExitCodes.Failed, process.Output);
        Assert.Contains(process.Stdout, l => l.StartsWith("Run (not recorded) (Echo, local) FAILED", StringComparison.Ordinal));
        var notRecorded = Assert.Single(process.Stdout, l => l.StartsWith("Result NOT recorded:", StringComparison.Ordinal));
        Assert.Contains(workspace.StorePath, notRecorded, StringComparison.Ordinal);
        Assert.Contains("move it aside", notRecorded, StringComparison.Ordinal);
        Assert.Contains(process.Stderr, l => l.EndsWith("[Echo stdout] working", StringComparison.Ordinal));
        Assert.DoesNotContain("internal error", process.Output, StringComparison.Ordinal);
        // The run's log is written even so, under a name that says it is not in the store.
        var log = Assert.Single(Directory.GetFiles(workspace.LogDirectory, "unrecorded-*-Echo.log"));
        Assert.Contains("[Echo stdout] working", await File.ReadAllTextAsync(log), StringComparison.Ordinal);
        Assert.Equal(garbage, await File.ReadAllBytesAsync(workspace.StorePath));

        var (historyCode, history) = await workspace.LuteAsync("history");
        Assert.True(historyCode == ExitCodes.Internal, history.Output);
        Assert.Contains(history.Stderr, l => l.Contains("is not a database", StringComparison.Ordinal) && l.Contains("move it aside", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", history.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_full_disk_at_the_start_or_during_the_run_costs_the_record_not_the_outcome()
    {
        using var workspace = Workspace.Create();
        var disk = Directory.CreateDirectory(workspace.PathOf("disk")).FullName;
        await MountAsync(disk);
        try
        {
            File.WriteAllText(workspace.ConfigPath, "directory: plugins\nstore: disk/lute.db\nlogs: disk/logs\n");

            // During the run: the store is created, then the task fills the disk before the outcome is written.
            var (code, process) = await workspace.RunTaskAsync($$"""
                tasks:
                  Filler:
                    command: [sh, -c, 'echo filling; cat /dev/zero > {{disk}}/filler; echo full; exit 3']
                """);

            Assert.True(code == ExitCodes.Failed, process.Output);
            Assert.Contains(process.Stdout, l => l.StartsWith("Run 1 (Filler, local) FAILED", StringComparison.Ordinal));
            Assert.Contains(process.Stdout, l => l.StartsWith("Result NOT recorded:", StringComparison.Ordinal) && l.Contains("disk", StringComparison.Ordinal));
            Assert.Contains(process.Stderr, l => l.EndsWith("[Filler stdout] full", StringComparison.Ordinal));
            Assert.DoesNotContain("internal error", process.Output, StringComparison.Ordinal);

            // At the start: the disk is still full.
            var (again, second) = await workspace.RunTaskAsync(FailingTask);

            Assert.True(again == ExitCodes.Failed, second.Output);
            Assert.Contains(second.Stdout, l => l.StartsWith("Result NOT recorded:", StringComparison.Ordinal));
            Assert.Contains(second.Stderr, l => l.EndsWith("[Echo stdout] working", StringComparison.Ordinal));
            Assert.DoesNotContain("internal error", second.Output, StringComparison.Ordinal);

            // Space again: the next run is recorded, and the first one is there as it was last written (RUNNING,
            // its runner gone) and is marked ABANDONED by that next run.
            File.Delete(Path.Combine(disk, "filler"));
            var (third, next) = await workspace.RunTaskAsync(FailingTask);
            Assert.True(third == ExitCodes.Failed, next.Output);
            Assert.Contains(next.Stdout, l => l.StartsWith("Result recorded in", StringComparison.Ordinal));
            IReadOnlyList<Host.Store.RunRecord> runs;
            await using (var store = await Host.Store.SqliteRunRecorder.OpenAsync(Path.Combine(disk, "lute.db")))
            {
                runs = await store.HistoryAsync(10, null, CancellationToken.None);
            }

            Assert.Equal([2L, 1L], runs.Select(r => r.Id));
            Assert.Equal(RunStatus.Failed, runs[0].Status);
            Assert.Equal(RunStatus.Abandoned, runs[1].Status);
            Assert.Contains("ended without recording an outcome", runs[1].Reason, StringComparison.Ordinal);
        }
        finally
        {
            await UnmountAsync(disk);
        }
    }

    [Fact]
    public async Task A_log_folder_that_cannot_be_written_sends_the_task_output_to_the_console_and_the_run_is_recorded()
    {
        using var workspace = Workspace.Create();
        File.WriteAllText(workspace.PathOf("not-a-folder"), "a file where the log folder should be");
        File.WriteAllText(workspace.ConfigPath, "directory: plugins\nstore: store/lute.db\nlogs: not-a-folder/logs\nconsole_task_output: false\n");

        var (code, process) = await workspace.RunTaskAsync(FailingTask);

        Assert.True(code == ExitCodes.Failed, process.Output);
        Assert.Contains(process.Stdout, l => l.StartsWith("Log: none (cannot write", StringComparison.Ordinal));
        Assert.Contains(process.Stderr, l => l.Contains("No log file for this run", StringComparison.Ordinal));
        // With no file, the task's lines reach the console even though console_task_output is off.
        Assert.Contains(process.Stderr, l => l.EndsWith("[Echo stdout] working", StringComparison.Ordinal));
        var run = await workspace.LatestRunAsync();
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(3, run.ExitCode);
    }

    /// <summary>A 256 KiB tmpfs: a disk that fills up in a moment (needs root, as the engine tests do).</summary>
    private static Task MountAsync(string folder) => RootCommandAsync("mount", "-t", "tmpfs", "-o", "size=256k,mode=0755", "tmpfs", folder);

    private static Task UnmountAsync(string folder) => RootCommandAsync("umount", folder);

    private static async Task RootCommandAsync(params string[] command)
    {
        using var process = ChildProcess.Start(command[0], command[1..], "/");
        var code = await process.WaitForExitAsync(Workspace.DefaultTimeout);
        Assert.True(code == 0, $"{string.Join(' ', command)} failed (these tests need root): {process.Output}");
    }
}
