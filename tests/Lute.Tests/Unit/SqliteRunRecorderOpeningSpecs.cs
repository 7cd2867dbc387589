using System.Globalization;
using Lute.Contracts;
using Lute.Host.Store;
using Lute.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Lute.Tests.Unit;

/// <summary>Opening a store: files that are not stores, newer and older schemas, the journal mode.</summary>
public sealed class SqliteRunRecorderOpeningSpecs : IDisposable
{
    private static readonly DateTimeOffset Start = new(2025, 3, 4, 5, 6, 7, 891, TimeSpan.FromHours(2));

    private static readonly CancellationToken None = CancellationToken.None;

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("lute-store-open-specs-");

    private string StorePath => Path.Combine(_folder.FullName, "nested", "lute.db");

    public void Dispose() => _folder.Delete(recursive: true);

    private static NewRun Run(string task) => new()
    {
        Task = task,
        Executor = "local",
        StartedAt = Start,
        Host = "node-1",
        RunnerPid = 4321,
        Command = ["python3", "train.py"],
        Parameters = new Dictionary<string, string>(),
        Environment = new Dictionary<string, string?>(),
    };

    [Fact]
    public async Task A_file_that_is_not_sqlite_is_a_store_error_and_is_left_alone()
    {
        // Arrange
        Directory.CreateDirectory(Path.GetDirectoryName(StorePath)!);
        var text = string.Concat(Enumerable.Repeat("this is not a database, just text\n", 200));
        await File.WriteAllTextAsync(StorePath, text);

        // Act
        var error = await Assert.ThrowsAsync<StoreException>(() => SqliteRunRecorder.OpenAsync(StorePath));

        // Assert
        Assert.Contains(StorePath, error.Message, StringComparison.Ordinal);
        Assert.IsType<SqliteException>(error.InnerException);
        Assert.Equal(text, await File.ReadAllTextAsync(StorePath));
    }

    [Fact]
    public async Task An_sqlite_file_with_other_tables_and_no_schema_version_is_a_store_error()
    {
        // Arrange
        Directory.CreateDirectory(Path.GetDirectoryName(StorePath)!);
        StoreFile.Execute(StorePath, "CREATE TABLE people (name TEXT); INSERT INTO people VALUES ('ada');");

        // Act
        var error = await Assert.ThrowsAsync<StoreException>(() => SqliteRunRecorder.OpenAsync(StorePath));

        // Assert
        Assert.Contains("not a result store", error.Message, StringComparison.Ordinal);
        Assert.Equal(0L, StoreFile.Scalar(StorePath, "PRAGMA user_version;"));
        Assert.Equal(0L, StoreFile.Scalar(StorePath, "SELECT count(*) FROM sqlite_master WHERE name = 'runs';"));
        Assert.Equal("ada", StoreFile.Scalar(StorePath, "SELECT name FROM people;"));
    }

    [Fact]
    public async Task An_sqlite_file_that_is_not_a_store_keeps_its_journal_mode()
    {
        // Arrange
        Directory.CreateDirectory(Path.GetDirectoryName(StorePath)!);
        StoreFile.Execute(StorePath, "CREATE TABLE people (name TEXT);");
        var before = StoreFile.Scalar(StorePath, "PRAGMA journal_mode;");

        // Act
        await Assert.ThrowsAsync<StoreException>(() => SqliteRunRecorder.OpenAsync(StorePath));

        // Assert
        Assert.Equal("delete", before);
        Assert.Equal(before, StoreFile.Scalar(StorePath, "PRAGMA journal_mode;"));
    }

    [Fact]
    public async Task A_store_with_a_newer_schema_version_is_a_store_error()
    {
        // Arrange
        await using (await SqliteRunRecorder.OpenAsync(StorePath))
        {
        }

        var newer = SqliteRunRecorder.SchemaVersion + 1;
        StoreFile.Execute(StorePath, string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {newer};"));

        // Act
        var error = await Assert.ThrowsAsync<StoreException>(() => SqliteRunRecorder.OpenAsync(StorePath));

        // Assert
        Assert.Contains($"schema version {newer}", error.Message, StringComparison.Ordinal);
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
        Assert.Equal((long)newer, StoreFile.Scalar(StorePath, "PRAGMA user_version;"));
    }

    [Fact]
    public async Task The_store_uses_write_ahead_logging()
    {
        // Act
        await using var store = await SqliteRunRecorder.OpenAsync(StorePath);

        // Assert
        Assert.Equal("wal", StoreFile.Scalar(StorePath, "PRAGMA journal_mode;"));
    }

    [Fact]
    public async Task A_version_1_store_is_migrated_forward_keeping_its_runs_and_gains_report_undelivered_and_hook_errors()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(StorePath)!);
        StoreFile.Execute(StorePath, StoreFile.VersionOne);
        var undelivered = new UndeliveredEntry("webhook.post", "done", Start, "POST", "http://h/x", "application/json", "{}", "HTTP 500", 3);
        var hookError = new HookErrorEntry("webhook.post", "done", Start, "HTTP 500");

        await using var store = await SqliteRunRecorder.OpenAsync(StorePath);
        var old = await store.GetAsync(1, None);
        var id = await store.StartedAsync(Run("New"), None);
        await store.FinishedAsync(id, new FinishedRun
        {
            Status = RunStatus.Completed,
            EndedAt = Start,
            ReportPath = "/logs/2-New.report.html",
            Undelivered = [undelivered],
            HookErrors = [hookError],
        }, None);
        var current = await store.GetAsync(id, None);

        Assert.Equal(3, SqliteRunRecorder.SchemaVersion);
        Assert.Equal(3L, StoreFile.Scalar(StorePath, "PRAGMA user_version;"));
        Assert.Equal("Old", old!.Task);
        Assert.Equal(RunStatus.Completed, old.Status);
        Assert.Null(old.ReportPath);
        Assert.Empty(old.Undelivered);
        Assert.Null(old.TaskFullName);
        Assert.Null(old.Description);
        Assert.Equal("/logs/2-New.report.html", current!.ReportPath);
        Assert.Equal([undelivered], current.Undelivered);
        Assert.Equal([hookError], current.HookErrors);
    }
}
