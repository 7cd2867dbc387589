using Lute.Host.Running;
using Lute.Tests.Support;

namespace Lute.Tests.Reliability;

/// <summary>A run's record holds its parameters and results: it is created for its owner only, or its group on request.</summary>
public sealed class FilePermissionSpecs
{
    private const string Task = """
        tasks:
          Private:
            parameters: { secret_run: "42" }
            command: [lute, emit, result, '{"report": {"text": "hi"}}']
        """;

    [Theory]
    [InlineData(null, "600", "700")]
    [InlineData("0600", "600", "700")]
    [InlineData("0640", "640", "750")]
    public async Task The_store_its_wal_and_shm_the_run_log_and_the_report_are_created_with_the_store_mode(string? storeMode, string fileMode, string folderMode)
    {
        using var workspace = Workspace.Create();
        workspace.WriteConfig(storeMode is null ? string.Empty : $"store_mode: {storeMode}");
        var tasks = workspace.Write("tasks.yaml", Task);
        // Under the usual umask (022), which would give new files 0644.
        using var process = ChildProcess.Start(
            "/bin/sh",
            ["-c", "umask 022; exec \"$0\" \"$@\"", Repo.Lute, "run", tasks, "--config", workspace.ConfigPath],
            workspace.Root,
            new Dictionary<string, string?> { ["PATH"] = $"{Repo.LuteDirectory}:{Environment.GetEnvironmentVariable("PATH")}" });
        var code = await process.WaitForExitAsync(Workspace.DefaultTimeout);

        Assert.True(code == ExitCodes.Completed, process.Output);
        var run = await workspace.LatestRunAsync();
        Assert.NotNull(run.ReportPath);
        // A reader keeps the store open, so its -wal and -shm files exist while the modes are read.
        await using var reader = await Host.Store.SqliteRunRecorder.OpenAsync(workspace.StorePath);
        foreach (var file in new[] { workspace.StorePath, workspace.StorePath + "-wal", workspace.StorePath + "-shm", run.LogPath!, run.ReportPath! })
        {
            Assert.True(File.Exists(file), $"{file} is missing");
            Assert.Equal(fileMode, Octal(File.GetUnixFileMode(file)));
        }

        Assert.Equal(folderMode, Octal(File.GetUnixFileMode(Path.GetDirectoryName(workspace.StorePath)!)));
        Assert.Equal(folderMode, Octal(File.GetUnixFileMode(workspace.LogDirectory)));
    }

    [Fact]
    public async Task A_store_mode_other_than_0600_or_0640_is_refused_at_its_place()
    {
        using var workspace = Workspace.Create();
        workspace.WriteConfig("store_mode: 0666");
        var (code, process) = await workspace.RunTaskAsync(Task);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(process.Stderr, l => l.Contains("plugins.yaml:4:13", StringComparison.Ordinal) && l.Contains("'store_mode' must be 0600", StringComparison.Ordinal));
        Assert.False(File.Exists(workspace.StorePath));
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8);
}
