using System.Net.Sockets;
using Lute.Contracts;

namespace Lute.Host.Protocol;

/// <summary>
/// One run's listening socket, Unix or TCP: accepts connections and serves each with a
/// <see cref="ProtocolConnection"/>; the drain waits for the connections the task made; disposing closes the listener
/// and every connection, then runs the transport's own clean-up.
/// </summary>
internal sealed class SocketSession : ICommunicatorSession
{
    private readonly CommunicatorContext _context;
    private readonly Socket _listener;
    private readonly int _maxBytes;
    private readonly TcpAdmission? _admission;
    private readonly Action _cleanUp;
    private readonly RankHosts? _hosts;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Lock _gate = new();
    private readonly Task _accepting;
    private int _connectionCount;

    /// <summary>Starts accepting on a bound, listening socket, which the session now owns.</summary>
    /// <param name="context">The run.</param>
    /// <param name="listener">The listening socket.</param>
    /// <param name="description">What the session is, recorded with the run; never holds a secret.</param>
    /// <param name="environment">What the task needs to reach it.</param>
    /// <param name="maxBytes">The largest frame.</param>
    /// <param name="admission">What a connection must present first (TCP), or null.</param>
    /// <param name="cleanUp">Runs after the listener and the connections are closed.</param>
    /// <param name="hosts">Where admitted connections note their rank's host (TCP), or null.</param>
    public SocketSession(
        CommunicatorContext context,
        Socket listener,
        string description,
        IReadOnlyDictionary<string, string> environment,
        int maxBytes,
        TcpAdmission? admission,
        Action cleanUp,
        RankHosts? hosts = null)
    {
        _hosts = hosts;
        _context = context;
        _listener = listener;
        _maxBytes = maxBytes;
        _admission = admission;
        _cleanUp = cleanUp;
        Description = description;
        TaskEnvironment = environment;
        _accepting = Task.Run(AcceptAsync);
    }

    public string Description { get; }

    public IReadOnlyDictionary<string, string> TaskEnvironment { get; }

    public ValueTask AttachAsync(IExecution execution, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            if (client.ProtocolType == ProtocolType.Tcp)
            {
                // Requests wait for their replies: send each line at once.
                client.NoDelay = true;
            }

            var connection = new ProtocolConnection(_context, client, Interlocked.Increment(ref _connectionCount), _maxBytes, _admission, _stop.Token, _hosts);
            lock (_gate)
            {
                _connections.RemoveAll(t => t.IsCompleted);
                _connections.Add(Task.Run(connection.ServeAsync));
            }
        }
    }

    public async Task DrainAsync(CancellationToken cancellationToken = default)
    {
        // The task has exited: connections it made end when the kernel closes them; wait for those.
        Task[] open;
        lock (_gate)
        {
            open = [.. _connections];
        }

        await Task.WhenAll(open).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _accepting.ConfigureAwait(false);
        Task[] open;
        lock (_gate)
        {
            open = [.. _connections];
        }

        await Task.WhenAll(open).ConfigureAwait(false);
        _stop.Dispose();
        _cleanUp();
    }
}
