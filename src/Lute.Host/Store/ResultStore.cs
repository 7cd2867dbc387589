using System.Globalization;
using Lute.Contracts;
using Microsoft.Data.Sqlite;

namespace Lute.Host.Store;

/// <summary>
/// The SQLite result store: one row per run, inserted when the run starts and updated when it ends, so a run whose
/// runner died is still visible. WAL mode and a busy timeout let many <c>lute run</c> processes share one file;
/// every statement uses parameters.
/// </summary>
public sealed class ResultStore : IDisposable
{
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

    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private ResultStore(string path, SqliteConnection connection)
    {
        Path = path;
        _connection = connection;
    }

    /// <summary>The schema version this build writes.</summary>
    public static int SchemaVersion => Migrations.Length;

    /// <summary>The store's file.</summary>
    public string Path { get; }

    /// <summary>
    /// Loads SQLite and runs a statement on an in-memory database, so that the first real open does not pay for
    /// loading the native library and compiling the data-access code. Safe to run on another thread while the
    /// process does other start-up work; touches no file.
    /// </summary>
    public static void WarmUp()
    {
        try
        {
            using var connection = new SqliteConnection("Data Source=:memory:;Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version; SELECT $x;";
            command.Parameters.AddWithValue("$x", "warm");
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
            }
        }
        catch (SqliteException)
        {
            // The real open reports whatever is wrong.
        }
    }

    /// <summary>Opens (creating and migrating if needed) the store at <paramref name="path"/>.</summary>
    /// <param name="path">The SQLite file.</param>
    /// <param name="cancellationToken">Cancels the opening.</param>
    /// <exception cref="StoreException">The file cannot be opened, is not a result store, or is newer than this build.</exception>
    public static Task<ResultStore> OpenAsync(string path, CancellationToken cancellationToken = default) =>
        OpenAsync(path, PrivateFiles.OwnerOnly, cancellationToken);

    /// <summary>
    /// Opens the store at <paramref name="path"/>; when <paramref name="createMode"/> is given, a missing store (and
    /// its folders) is created with that mode (SQLite gives its -wal and -shm files the mode of the store).
    /// </summary>
    /// <param name="path">The SQLite file.</param>
    /// <param name="createMode">The mode of a new store, or null to open only an existing one.</param>
    /// <param name="cancellationToken">Cancels the opening.</param>
    /// <exception cref="StoreException">The file cannot be opened, is not a result store, or is newer than this build.</exception>
    public static async Task<ResultStore> OpenAsync(string path, UnixFileMode? createMode, CancellationToken cancellationToken = default)
    {
        SqliteConnection? connection = null;
        try
        {
            if (createMode is { } mode)
            {
                PrivateFiles.CreateFolder(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!, mode);
                if (!File.Exists(path))
                {
                    // Created here rather than by SQLite, whose new files follow the umask (0644 by default).
                    PrivateFiles.Touch(path, mode);
                }
            }

            var builder = new SqliteConnectionStringBuilder
            {
                DataSource = path,
                Mode = createMode is null ? SqliteOpenMode.ReadWrite : SqliteOpenMode.ReadWriteCreate,
                Pooling = false,
                DefaultTimeout = 60,
            };
            connection = new SqliteConnection(builder.ToString());
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, "PRAGMA busy_timeout = 60000;", cancellationToken).ConfigureAwait(false);
            var store = new ResultStore(path, connection);
            // Refuse a foreign SQLite file before changing anything in it.
            await store.CheckIsStoreAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, "PRAGMA journal_mode = WAL;", cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, "PRAGMA synchronous = NORMAL;", cancellationToken).ConfigureAwait(false);
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch (SqliteException e)
        {
            connection?.Dispose();
            throw new StoreException($"cannot open the result store '{path}': {e.Message}{Hint(e)}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            connection?.Dispose();
            throw new StoreException($"cannot open the result store '{path}': {e.Message}", e);
        }
        catch
        {
            connection?.Dispose();
            throw;
        }
    }

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

    /// <summary>Records a new run as Pending and returns its id.</summary>
    /// <param name="run">What is known before launch.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task<long> InsertAsync(NewRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        return await GuardAsync("record the run", async () =>
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = """
                INSERT INTO runs (task, task_full, description, task_file, executor, experiment, experiment_run, status,
                                  started_at, last_seen_at, host, runner_pid, command, parameters, environment, work_dir)
                VALUES ($task, $task_full, $description, $file, $executor, $experiment, $run, $status, $started,
                        $started, $host, $pid, $command, $parameters, $environment, $work_dir)
                RETURNING id;
                """;
            Add(command, "$task", run.Task);
            Add(command, "$task_full", run.TaskFullName);
            Add(command, "$description", run.Description);
            Add(command, "$file", run.TaskFile);
            Add(command, "$executor", run.Executor);
            Add(command, "$experiment", run.Experiment);
            Add(command, "$run", run.ExperimentRun);
            Add(command, "$status", RunStatus.Pending.ToString());
            Add(command, "$started", Format(run.StartedAt));
            Add(command, "$host", run.Host);
            Add(command, "$pid", run.RunnerPid);
            Add(command, "$command", run.Command);
            Add(command, "$parameters", run.Parameters);
            Add(command, "$environment", run.Environment);
            Add(command, "$work_dir", run.WorkDirectory);
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }).ConfigureAwait(false);
    }

    /// <summary>Records that the run's process is running.</summary>
    /// <param name="id">The run.</param>
    /// <param name="update">What became known at launch.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public Task MarkRunningAsync(long id, RunningUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        return GuardAsync("record the launch", async () =>
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = """
                UPDATE runs SET status = $status, task_pid = $pid, details = $details, communicators = $communicators,
                                log_path = $log, environment = $environment, last_seen_at = $now
                WHERE id = $id;
                """;
            Add(command, "$status", RunStatus.Running.ToString());
            Add(command, "$now", Format(DateTimeOffset.UtcNow));
            Add(command, "$pid", update.TaskPid);
            Add(command, "$details", update.Details);
            Add(command, "$communicators", update.Communicators);
            Add(command, "$log", update.LogPath);
            Add(command, "$environment", update.Environment);
            Add(command, "$id", id);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        });
    }

    /// <summary>Records that a running task was stopped (<see cref="RunStatus.Stopped"/>) or runs again (<see cref="RunStatus.Running"/>).</summary>
    /// <param name="id">The run.</param>
    /// <param name="status">Stopped or Running.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public Task UpdateStatusAsync(long id, RunStatus status, CancellationToken cancellationToken = default)
    {
        if (status is not (RunStatus.Stopped or RunStatus.Running))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "only a running task's status changes this way");
        }

        return GuardAsync("record the task's status", async () =>
        {
            await using var command = _connection.CreateCommand();
            // Never over an outcome: the run may have ended meanwhile.
            command.CommandText = """
                UPDATE runs SET status = $status, last_seen_at = $now
                WHERE id = $id AND ended_at IS NULL AND status IN ('Running', 'Stopped');
                """;
            Add(command, "$status", status.ToString());
            Add(command, "$now", Format(DateTimeOffset.UtcNow));
            Add(command, "$id", id);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        });
    }

    /// <summary>Records the run's outcome.</summary>
    /// <param name="id">The run.</param>
    /// <param name="final">The outcome.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public Task FinishAsync(long id, FinalUpdate final, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(final);
        return GuardAsync("record the outcome", async () =>
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = """
                UPDATE runs SET status = $status, exit_code = $exit, signal = $signal, reason = $reason,
                                launch_failed = $launch_failed, ended_at = $ended, summary = $summary,
                                payload = $payload, metadata = $metadata, details = coalesce($details, details),
                                log_path = coalesce($log, log_path), report_path = $report,
                                undelivered = $undelivered, hook_errors = $hook_errors, last_seen_at = $ended
                WHERE id = $id;
                """;
            Add(command, "$status", final.Status.ToString());
            Add(command, "$exit", final.ExitCode);
            Add(command, "$signal", final.Signal);
            Add(command, "$reason", final.Reason);
            Add(command, "$launch_failed", final.LaunchFailed ? 1 : 0);
            Add(command, "$ended", Format(final.EndedAt));
            Add(command, "$summary", final.Summary);
            Add(command, "$payload", final.Payload);
            Add(command, "$metadata", final.Metadata);
            Add(command, "$details", final.Details);
            Add(command, "$log", final.LogPath);
            Add(command, "$report", final.ReportPath);
            Add(command, "$undelivered", final.Undelivered);
            Add(command, "$hook_errors", final.HookErrors);
            Add(command, "$id", id);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        });
    }

    /// <summary>
    /// Marks as <see cref="RunStatus.Abandoned"/> the unfinished runs of <paramref name="host"/> whose runner is gone:
    /// it was killed, or its machine restarted, before it could record an outcome.
    /// </summary>
    /// <param name="host">The host whose runs can be checked (runner processes elsewhere cannot be seen).</param>
    /// <param name="runnerAlive">Whether the runner with this process id, recorded as starting the run at this time, still runs.</param>
    /// <param name="now">The time of the repair; a run's recorded end is its runner's last sign of life (its last
    /// write to the store or to the run's log), never later than this.</param>
    /// <param name="cancellationToken">Cancels the repair.</param>
    /// <returns>The runs marked, oldest first.</returns>
    public Task<IReadOnlyList<RunRecord>> MarkAbandonedAsync(
        string host, Func<int, DateTimeOffset, bool> runnerAlive, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runnerAlive);
        return GuardAsync("mark abandoned runs", async () =>
        {
            var unfinished = await ReadRunsAsync("WHERE status IN ('Pending', 'Running', 'Stopped') AND ended_at IS NULL AND host = $host", int.MaxValue, [("$host", host)], cancellationToken).ConfigureAwait(false);
            var gone = unfinished.Where(r => !runnerAlive(r.RunnerPid, r.StartedAt)).OrderBy(r => r.Id).ToList();
            List<RunRecord> marked = [];
            foreach (var run in gone)
            {
                await using var command = _connection.CreateCommand();
                // The condition again: the run may have ended since it was read.
                command.CommandText = """
                    UPDATE runs SET status = $status, ended_at = $ended, reason = $reason
                    WHERE id = $id AND ended_at IS NULL;
                    """;
                var reason = $"the runner (process {run.RunnerPid} on {host}) ended without recording an outcome"
                    + (run.Status == RunStatus.Pending ? " before the task was launched" : $"; the task was {run.Status.ToString().ToUpperInvariant()} then");
                var ended = LastSignOfLife(run, now);
                Add(command, "$status", RunStatus.Abandoned.ToString());
                Add(command, "$ended", Format(ended));
                Add(command, "$reason", reason);
                Add(command, "$id", run.Id);
                if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                {
                    marked.Add(run with { Status = RunStatus.Abandoned, EndedAt = ended, Reason = reason });
                }
            }

            return (IReadOnlyList<RunRecord>)marked;
        });
    }

    /// <summary>
    /// When the runner of an unfinished run was last known alive: the later of its last write to the store and the
    /// last write to the run's log (the log is flushed at least every second while the task writes), bounded by the
    /// run's start and by <paramref name="now"/>.
    /// </summary>
    internal static DateTimeOffset LastSignOfLife(RunRecord run, DateTimeOffset now)
    {
        var seen = run.LastSeenAt ?? run.StartedAt;
        if (run.LogPath is { } log && File.Exists(log))
        {
            var written = new DateTimeOffset(File.GetLastWriteTimeUtc(log), TimeSpan.Zero);
            seen = written > seen ? written : seen;
        }

        return seen < run.StartedAt ? run.StartedAt : seen > now ? now : seen;
    }

    /// <summary>One run, or null.</summary>
    /// <param name="id">The run's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<RunRecord?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        var list = await QueryAsync("WHERE id = $id", 1, [("$id", id)], cancellationToken).ConfigureAwait(false);
        return list.Count == 0 ? null : list[0];
    }

    /// <summary>The latest runs, newest first.</summary>
    /// <param name="limit">How many at most.</param>
    /// <param name="task">Only this task's runs, if given.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public Task<IReadOnlyList<RunRecord>> HistoryAsync(int limit, string? task = null, CancellationToken cancellationToken = default) =>
        task is null
            ? QueryAsync(string.Empty, limit, [], cancellationToken)
            : QueryAsync("WHERE task = $task OR task_full = $task", limit, [("$task", task)], cancellationToken);

    /// <summary>The runs that ran in a SLURM job, or as one of its steps, newest first.</summary>
    /// <param name="job">The SLURM job id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public Task<IReadOnlyList<RunRecord>> ForSlurmJobAsync(string job, CancellationToken cancellationToken = default) =>
        QueryAsync(
            "WHERE json_valid(details) AND (json_extract(details, '$.slurm_job_id') = $job OR json_extract(details, '$.slurm_allocation') = $job)",
            100,
            [("$job", job)],
            cancellationToken);

    private Task<IReadOnlyList<RunRecord>> QueryAsync(
        string where, int limit, (string Name, object Value)[] parameters, CancellationToken cancellationToken) =>
        GuardAsync("read runs", () => ReadRunsAsync(where, limit, parameters, cancellationToken));

    /// <summary>Reads runs; the caller holds the connection (inside <see cref="GuardAsync{T}"/>).</summary>
    private async Task<IReadOnlyList<RunRecord>> ReadRunsAsync(
        string where, int limit, (string Name, object Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = $"""
            SELECT id, task, task_file, executor, experiment, experiment_run, status, exit_code, signal, reason,
                   launch_failed, started_at, ended_at, host, runner_pid, task_pid, command, parameters,
                   environment, summary, payload, metadata, details, communicators, log_path, work_dir,
                   report_path, undelivered, hook_errors, task_full, description, last_seen_at
            FROM runs {where} ORDER BY id DESC LIMIT $limit;
            """;
        foreach (var (name, value) in parameters)
        {
            Add(command, name, value);
        }

        Add(command, "$limit", limit);
        var list = new List<RunRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(Read(reader));
        }

        return list;
    }

    private static RunRecord Read(SqliteDataReader r) => new()
    {
        Id = r.GetInt64(0),
        Task = r.GetString(1),
        TaskFile = Text(r, 2),
        Executor = r.GetString(3),
        Experiment = Text(r, 4),
        ExperimentRun = Text(r, 5),
        Status = Enum.TryParse<RunStatus>(r.GetString(6), out var status) ? status : RunStatus.Abandoned,
        ExitCode = r.IsDBNull(7) ? null : r.GetInt32(7),
        Signal = r.IsDBNull(8) ? null : r.GetInt32(8),
        Reason = Text(r, 9),
        LaunchFailed = r.GetInt64(10) != 0,
        StartedAt = Parse(r.GetString(11)),
        EndedAt = r.IsDBNull(12) ? null : Parse(r.GetString(12)),
        Host = r.GetString(13),
        RunnerPid = r.GetInt32(14),
        TaskPid = r.IsDBNull(15) ? null : r.GetInt32(15),
        Command = r.GetString(16),
        Parameters = r.GetString(17),
        Environment = r.GetString(18),
        Summary = Text(r, 19),
        Payload = Text(r, 20),
        Metadata = Text(r, 21),
        Details = Text(r, 22),
        Communicators = Text(r, 23),
        LogPath = Text(r, 24),
        WorkDirectory = Text(r, 25),
        ReportPath = Text(r, 26),
        Undelivered = Text(r, 27),
        HookErrors = Text(r, 28),
        TaskFullName = Text(r, 29),
        Description = Text(r, 30),
        LastSeenAt = r.IsDBNull(31) ? null : Parse(r.GetString(31)),
    };

    private async Task<T> GuardAsync<T>(string action, Func<Task<T>> body)
    {
        // One connection: a status change recorded from the run's events may meet another write of the runner.
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (SqliteException e)
        {
            throw new StoreException($"cannot {action} in the result store '{Path}': {e.Message}{Hint(e)}", e);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>What to do about an SQLite error, for the ones a user can act on.</summary>
    private static string Hint(SqliteException error) => error.SqliteErrorCode switch
    {
        11 or 26 => " (the file is damaged or is not an SQLite file: move it aside and lute starts a new store there, or name another file with 'store:' in plugins.yaml)",
        13 => " (the disk is full: free space, or name a store on another disk with 'store:' in plugins.yaml)",
        10 => " (a disk error: is the disk full, read-only or gone?)",
        8 or 14 or 23 => " (check that the file and its folder exist and can be written by this user, or name another file with 'store:' in plugins.yaml)",
        _ => string.Empty,
    };

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void Add(SqliteCommand command, string name, object? value) =>
        command.Parameters.AddWithValue(name, value ?? DBNull.Value);

    private static string? Text(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static string Format(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <inheritdoc />
    public void Dispose()
    {
        _connection.Dispose();
        _gate.Dispose();
    }
}
