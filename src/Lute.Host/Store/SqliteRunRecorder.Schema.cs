using System.Globalization;

namespace Lute.Host.Store;

public sealed partial class SqliteRunRecorder
{
    /// <summary>The schema's history: each store runs the ones it has not run yet (its <c>user_version</c> counts them).</summary>
    private static readonly string[] Migrations =
    [
        // 1: the runs table.
        """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            task TEXT NOT NULL,
            task_file TEXT,
            executor TEXT NOT NULL,
            experiment TEXT,
            experiment_run TEXT,
            status TEXT NOT NULL,
            exit_code INTEGER,
            signal INTEGER,
            reason TEXT,
            launch_failed INTEGER NOT NULL DEFAULT 0,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            host TEXT NOT NULL,
            runner_pid INTEGER NOT NULL,
            task_pid INTEGER,
            command TEXT NOT NULL,
            parameters TEXT NOT NULL,
            environment TEXT NOT NULL,
            summary TEXT,
            payload TEXT,
            metadata TEXT,
            details TEXT,
            communicators TEXT,
            log_path TEXT,
            work_dir TEXT
        );
        CREATE INDEX runs_by_task ON runs (task, id);
        CREATE INDEX runs_by_status ON runs (status);
        """,
        // 2: the run's HTML report, requests its hooks could not deliver, and hook failures.
        """
        ALTER TABLE runs ADD COLUMN report_path TEXT;
        ALTER TABLE runs ADD COLUMN undelivered TEXT;
        ALTER TABLE runs ADD COLUMN hook_errors TEXT;
        """,
        // 3: the task's name as given when it is a numbered copy (task keeps the base name, as LUTE stores it), its
        // description, and the runner's last sign of life (the end of an ABANDONED run).
        """
        ALTER TABLE runs ADD COLUMN task_full TEXT;
        ALTER TABLE runs ADD COLUMN description TEXT;
        ALTER TABLE runs ADD COLUMN last_seen_at TEXT;
        """,
    ];

    /// <summary>The schema version this build writes.</summary>
    public static int SchemaVersion => Migrations.Length;

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var version = await UserVersionAsync(cancellationToken).ConfigureAwait(false);
        if (version == Migrations.Length)
        {
            return;
        }

        if (version > Migrations.Length)
        {
            throw new StoreException(
                $"the result store '{Path}' has schema version {version}, newer than this build's {Migrations.Length}; upgrade lute");
        }

        // BEGIN IMMEDIATE: concurrent first runs wait for each other instead of migrating twice.
        await using var transaction = _connection.BeginTransaction(deferred: false);
        version = await UserVersionAsync(cancellationToken).ConfigureAwait(false);
        await CheckIsStoreAsync(cancellationToken).ConfigureAwait(false);

        for (var next = version; next < Migrations.Length; next++)
        {
            await ExecuteAsync(_connection, Migrations[next], cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(_connection, $"PRAGMA user_version = {next + 1};", cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task CheckIsStoreAsync(CancellationToken cancellationToken)
    {
        // One statement, so both facts come from one snapshot: another process may be creating the store right now.
        await using var check = _connection.CreateCommand();
        check.CommandText = """
            SELECT (SELECT user_version FROM pragma_user_version) = 0
               AND (SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%') > 0;
            """;
        if (Convert.ToInt64(await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) != 0)
        {
            throw new StoreException($"'{Path}' is an SQLite file but not a result store (it has tables and no schema version); name another file");
        }
    }

    private async Task<int> UserVersionAsync(CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }
}
