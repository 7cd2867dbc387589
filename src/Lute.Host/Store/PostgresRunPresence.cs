using System.Globalization;
using System.Threading.Channels;
using Npgsql;

namespace Lute.Host.Store;

/// <summary>
/// One run's runner, present in the PostgreSQL store: a connection of its own (never pooled, so that closing it ends
/// the session) that holds the session-level advisory lock on the run's id and LISTENs on the run's channel
/// <c>lute_run_ID</c>. A run whose lock is free while its status is unfinished has lost its runner, whatever its host.
/// The connection waits for notifications on the socket (no polling); each wakes a claim of the run's open requests
/// on a pooled connection. A lost connection is restored, with growing pauses, until the run ends.
/// </summary>
internal sealed partial class PostgresRunPresence : IAsyncDisposable
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(30);

    private readonly NpgsqlDataSource _own;
    private readonly NpgsqlDataSource _pool;
    private readonly CancellationTokenSource _ending = new();
    private readonly Channel<bool> _wakes = System.Threading.Channels.Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Lock _gate = new();
    private NpgsqlConnection _connection;
    private Listener? _listener;
    private Task _waiting = Task.CompletedTask;
    private Task _claiming = Task.CompletedTask;

    private PostgresRunPresence(NpgsqlDataSource own, NpgsqlDataSource pool, NpgsqlConnection connection, long runId)
    {
        _own = own;
        _pool = pool;
        _connection = connection;
        RunId = runId;
    }

    /// <summary>The run.</summary>
    public long RunId { get; }

    /// <summary>The channel the runner of run <paramref name="id"/> LISTENs on.</summary>
    public static string Channel(long id) => "lute_run_" + id.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// True, in SQL, when the runner of the run whose id is <paramref name="id"/> (an SQL expression) holds its lock in
    /// this database: the one-key advisory lock on the id (pg_locks: high 32 bits in classid, low in objid, objsubid 1).
    /// </summary>
    public static string LockHeld(string id) =>
        $"EXISTS (SELECT 1 FROM pg_catalog.pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1"
        + $" AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())"
        + $" AND l.classid = (({id}) >> 32)::oid AND l.objid = (({id}) & 4294967295)::oid)";

    /// <summary>
    /// Records a run on a connection of its own with <paramref name="insert"/> (which returns the new id), and in the
    /// same transaction takes the run's lock and LISTENs on its channel: no other session ever sees the run without
    /// its runner present.
    /// </summary>
    /// <param name="own">Unpooled connections, for this run alone.</param>
    /// <param name="pool">Pooled connections, for claiming requests.</param>
    /// <param name="insert">Binds and runs the insert on the given connection, returning the run's id.</param>
    /// <param name="cancellationToken">Cancels the recording.</param>
    public static async Task<PostgresRunPresence> StartAsync(
        NpgsqlDataSource own, NpgsqlDataSource pool, Func<NpgsqlConnection, NpgsqlTransaction, Task<long>> insert, CancellationToken cancellationToken)
    {
        var connection = await own.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            long id;
            await using (var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
            {
                id = await insert(connection, transaction).ConfigureAwait(false);
                await HoldAsync(connection, id, transaction, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            var presence = new PostgresRunPresence(own, pool, connection, id);
            presence.Begin();
            return presence;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Hands the run's requests to <paramref name="onRequest"/> until the result is disposed.</summary>
    public IDisposable Listen(Func<RunControlRequest, ValueTask> onRequest, Action<string> onProblem)
    {
        var listener = new Listener(this, onRequest, onProblem);
        lock (_gate)
        {
            _listener = listener;
        }

        _wakes.Writer.TryWrite(true); // requests made before the runner listened
        return listener;
    }

    /// <summary>Ends the session: the lock is released and the channel unlistened with it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_ending.IsCancellationRequested)
        {
            return;
        }

        await _ending.CancelAsync().ConfigureAwait(false);
        _wakes.Writer.TryComplete();
        await Task.WhenAll(_waiting, _claiming).ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
        _ending.Dispose();
    }

    private static async Task HoldAsync(NpgsqlConnection connection, long id, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        var key = id.ToString(CultureInfo.InvariantCulture);
        // pg_try_advisory_lock: a runner restoring its session must never wait behind anyone.
        await using var command = new NpgsqlCommand($"SELECT pg_try_advisory_lock({key}); LISTEN {Channel(id)};", connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private void Begin()
    {
        _connection.Notification += OnNotification;
        _waiting = Task.Run(WaitAsync);
        _claiming = Task.Run(ClaimAsync);
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e) => _wakes.Writer.TryWrite(true);

    /// <summary>Waits on the session's socket for notifications; restores a lost session.</summary>
    private async Task WaitAsync()
    {
        var token = _ending.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await _connection.WaitAsync(token).ConfigureAwait(false);
            }
            catch (Exception) when (token.IsCancellationRequested)
            {
                return; // the run ended: whatever the wait says as it is cut short
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                // A server that went away took the pool's idle connections with it: none is handed out again.
                _pool.Clear();
                Problem($"the run's session with the result store was lost ({e.Message}); restoring it");
                if (!await RestoreAsync(token).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
    }

    /// <summary>Opens a new session, takes the lock and listens again; false when the run ended first.</summary>
    private async Task<bool> RestoreAsync(CancellationToken token)
    {
        var pause = FirstPause;
        while (true)
        {
            try
            {
                await Task.Delay(pause, token).ConfigureAwait(false);
                var connection = await _own.OpenConnectionAsync(token).ConfigureAwait(false);
                try
                {
                    await HoldAsync(connection, RunId, null, token).ConfigureAwait(false);
                }
                catch
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                    throw;
                }

                var lost = _connection;
                lost.Notification -= OnNotification;
                _connection = connection;
                connection.Notification += OnNotification;
                await lost.DisposeAsync().ConfigureAwait(false);
                _wakes.Writer.TryWrite(true); // what was asked meanwhile
                Problem("the run's session with the result store is restored; requests from other hosts reach the runner again");
                return true;
            }
            catch (Exception) when (token.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or System.Net.Sockets.SocketException)
            {
                pause = pause * 2 > LongestPause ? LongestPause : pause * 2;
            }
        }
    }
}
