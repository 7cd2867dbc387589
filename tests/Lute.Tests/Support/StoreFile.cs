using Microsoft.Data.Sqlite;

namespace Lute.Tests.Support;

/// <summary>An SQLite file read and written directly, beside the recorder.</summary>
internal static class StoreFile
{
    public static SqliteConnection Raw(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public static object? Scalar(string path, string sql)
    {
        using var connection = Raw(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public static void Execute(string path, string sql)
    {
        using var connection = Raw(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>A store as the first schema wrote it, with one finished run.</summary>
    public const string VersionOne = """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT, task TEXT NOT NULL, task_file TEXT, executor TEXT NOT NULL,
            experiment TEXT, experiment_run TEXT, status TEXT NOT NULL, exit_code INTEGER, signal INTEGER, reason TEXT,
            launch_failed INTEGER NOT NULL DEFAULT 0, started_at TEXT NOT NULL, ended_at TEXT, host TEXT NOT NULL,
            runner_pid INTEGER NOT NULL, task_pid INTEGER, command TEXT NOT NULL, parameters TEXT NOT NULL,
            environment TEXT NOT NULL, summary TEXT, payload TEXT, metadata TEXT, details TEXT, communicators TEXT,
            log_path TEXT, work_dir TEXT);
        CREATE INDEX runs_by_task ON runs (task, id);
        CREATE INDEX runs_by_status ON runs (status);
        INSERT INTO runs (task, executor, status, started_at, ended_at, host, runner_pid, command, parameters, environment, exit_code)
        VALUES ('Old', 'local', 'Completed', '2025-01-01T00:00:00.0000000Z', '2025-01-01T00:00:01.0000000Z', 'h', 1, '[]', '{}', '{}', 0);
        PRAGMA user_version = 1;
        """;
}
