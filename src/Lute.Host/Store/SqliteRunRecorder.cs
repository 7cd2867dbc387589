using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Lute.Host.Store;

/// <summary>
/// The SQLite result store: one row per run, inserted when the run starts and updated when its task is launched,
/// stopped or continued and when it ends, so a run whose runner died is still visible. WAL mode and a busy timeout let
/// many <c>lute run</c> processes share one file; every statement uses parameters. The columns are listed once
/// (<see cref="RunColumns"/>); each write names the columns it sets, and rows are read by column name.
/// </summary>
/// <remarks>
/// The JSON columns hold <see cref="StoredJson"/> text: maps with their keys in ordinal order (parameters, environment,
/// summary, metadata, and the details recorded at the end; the details recorded at launch keep the executor's order),
/// and NULL for an empty summary, metadata, list of undelivered requests or of hook errors. On read, a NULL column is
/// an empty collection (or no payload), and so is a column whose JSON cannot be read: a damaged value never stops a
/// run from being listed or shown.
/// </remarks>
public sealed partial class SqliteRunRecorder : IRunRecorder
{
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private SqliteRunRecorder(string path, SqliteConnection connection)
    {
        Path = path;
        _connection = connection;
    }

    /// <summary>The store's file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public string Location => Path;

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

    /// <summary>Opens (creating and migrating if needed, as an owner-only file) the store at <paramref name="path"/>.</summary>
    /// <param name="path">The SQLite file.</param>
    /// <param name="cancellationToken">Cancels the opening.</param>
    /// <exception cref="StoreException">The file cannot be opened, is not a result store, or is newer than this build.</exception>
    public static Task<SqliteRunRecorder> OpenAsync(string path, CancellationToken cancellationToken = default) =>
        OpenAsync(path, PrivateFiles.OwnerOnly, cancellationToken);

    /// <summary>
    /// Opens the store at <paramref name="path"/>; when <paramref name="createMode"/> is given, a missing store (and
    /// its folders) is created with that mode (SQLite gives its -wal and -shm files the mode of the store).
    /// </summary>
    /// <param name="path">The SQLite file.</param>
    /// <param name="createMode">The mode of a new store, or null to open only an existing one.</param>
    /// <param name="cancellationToken">Cancels the opening.</param>
    /// <exception cref="StoreException">The file cannot be opened, is not a result store, or is newer than this build.</exception>
    public static async Task<SqliteRunRecorder> OpenAsync(string path, UnixFileMode? createMode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
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
            var store = new SqliteRunRecorder(path, connection);
            // Refuse a foreign SQLite file before changing anything in it.
            await store.CheckIsStoreAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, "PRAGMA journal_mode = WAL;", cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, "PRAGMA synchronous = NORMAL;", cancellationToken).ConfigureAwait(false);
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch (SqliteException e)
        {
            await DisposeQuietlyAsync(connection).ConfigureAwait(false);
            throw new StoreException($"cannot open the result store '{path}': {e.Message}{Hint(e)}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await DisposeQuietlyAsync(connection).ConfigureAwait(false);
            throw new StoreException($"cannot open the result store '{path}': {e.Message}", e);
        }
        catch
        {
            await DisposeQuietlyAsync(connection).ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
    }

    private static async Task DisposeQuietlyAsync(SqliteConnection? connection)
    {
        if (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Runs <paramref name="body"/> alone on the connection; an SQLite error becomes a <see cref="StoreException"/>.</summary>
    private async Task<T> GuardAsync<T>(string action, Func<Task<T>> body, CancellationToken cancellationToken)
    {
        // One connection: a status change recorded from the run's events may meet another write of the runner.
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
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

    private static string Format(DateTimeOffset value) => StoredTime.Format(value);

    private static DateTimeOffset Parse(string value) => StoredTime.Parse(value);
}
