using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Lute.Contracts;
using Lute.Host.Configuration;
using Microsoft.Extensions.Logging;

namespace Lute.Host.Protocol;

/// <summary>
/// Receives the task's structured messages over TCP, for ranks that run on other nodes and cannot reach a Unix
/// socket. The listener is bound before the run is recorded, so a bad address or a full port range is an input
/// error; the task finds it in <c>LUTE_ADDRESS</c> and must present <c>LUTE_TOKEN</c> in the first line of every
/// connection (see <see cref="TcpAdmission"/>). After that a connection is read exactly as a Unix socket's.
/// </summary>
internal sealed partial class TcpCommunicator : ICommunicator, IDisposable
{
    private const int SolSocket = 1;
    private const int SoReuseAddr = 2;
    private readonly int _maxMessageBytes;
    private readonly TcpAdmission _admission;
    private Socket? _listener;

    private TcpCommunicator(Socket listener, string address, string reason, int maxMessageBytes, TcpAdmission admission)
    {
        _listener = listener;
        Address = address;
        Reason = reason;
        _maxMessageBytes = maxMessageBytes;
        _admission = admission;
    }

    /// <summary>Where the task connects: <c>host:port</c>, or <c>[address]:port</c> for IPv6.</summary>
    public string Address { get; }

    /// <summary>How the address was chosen (empty when the settings named an IP address).</summary>
    public string Reason { get; }

    /// <summary>The host each rank said it connects from, learnt from the handshakes.</summary>
    public RankHosts Hosts { get; } = new();

    /// <summary>Resolves the address and listens on the first port of the range that is free.</summary>
    /// <param name="settings">Where to listen.</param>
    /// <param name="maxMessageBytes">The largest frame.</param>
    /// <param name="environment">The task's environment (<c>tcp_address: auto</c> reads <c>SLURM_CONF</c>).</param>
    /// <param name="owner">Whose settings these are, for error messages.</param>
    /// <param name="cancellationToken">Cancels the name resolution.</param>
    /// <exception cref="InputException">The address cannot be resolved or used, or no port of the range is free.</exception>
    public static async Task<TcpCommunicator> BindAsync(TcpSettings settings, int maxMessageBytes, IReadOnlyDictionary<string, string> environment, string owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var (ip, reason) = await ListenAddress.ChooseAsync(settings, environment, owner, cancellationToken).ConfigureAwait(false);
        var last = settings.AnyPort ? 0 : settings.LastPort;
        for (var port = settings.FirstPort; port <= last; port++)
        {
            var listener = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                if (ip.Equals(IPAddress.IPv6Any))
                {
                    listener.DualMode = true;
                }

                // SO_REUSEADDR alone: a port whose last connections are in TIME_WAIT can be listened on again, while a
                // port another process listens on stays taken (SocketOptionName.ReuseAddress would add SO_REUSEPORT).
                listener.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
                listener.Bind(new IPEndPoint(ip, port));
                // The kernel's largest accept queue (net.core.somaxconn): ranks of a large step connect at once, and a
                // connection that finds the queue full waits a second for its SYN to be sent again.
                listener.Listen(int.MaxValue);
                var bound = ((IPEndPoint)listener.LocalEndPoint!).Port;
                return new TcpCommunicator(listener, Format(ip, bound), reason, maxMessageBytes, TcpAdmission.Create(settings.HandshakeTimeout));
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse && port < last)
            {
                listener.Dispose();
            }
            catch (SocketException e)
            {
                listener.Dispose();
                throw e.SocketErrorCode switch
                {
                    SocketError.AddressAlreadyInUse when settings.FirstPort == last =>
                        new InputException($"{owner}: setting '{TcpSettings.PortsKey}': port {last} on {ip} is in use"),
                    SocketError.AddressAlreadyInUse =>
                        new InputException($"{owner}: setting '{TcpSettings.PortsKey}': every port of {settings.Ports} on {ip} is in use"),
                    SocketError.AddressNotAvailable or SocketError.AddressFamilyNotSupported =>
                        new InputException($"{owner}: setting '{TcpSettings.AddressKey}': cannot listen on {ip}: it is not an address of this machine ({e.Message})"),
                    _ => new InputException($"{owner}: setting '{TcpSettings.PortsKey}': cannot listen on {ip} port {port}: {e.Message}"),
                };
            }
        }

        throw new InvalidOperationException("unreachable: the port loop returns or throws");
    }

    public ValueTask<ICommunicatorSession> OpenAsync(CommunicatorContext context, CancellationToken cancellationToken = default)
    {
        var listener = Interlocked.Exchange(ref _listener, null)
            ?? throw new InvalidOperationException("the TCP communicator serves one run and was already opened");
        var environment = new Dictionary<string, string>
        {
            [ProtocolConstants.AddressVariable] = Address,
            [ProtocolConstants.TokenVariable] = _admission.Token,
            [ProtocolConstants.ProtocolVariable] = ProtocolConstants.Version.ToString(CultureInfo.InvariantCulture),
        };
        if (Reason.Length > 0)
        {
            LogChosen(context.Logger, Address, Reason);
        }

        return ValueTask.FromResult<ICommunicatorSession>(
            new SocketSession(context, listener, $"tcp {Address}", environment, _maxMessageBytes, _admission, cleanUp: () => { }, Hosts));
    }

    /// <summary>Closes the listener if no run opened it.</summary>
    public void Dispose() => Interlocked.Exchange(ref _listener, null)?.Dispose();

    /// <summary>The address a task connects to: a wildcard address means "this machine", named by its host name.</summary>
    private static string Format(IPAddress ip, int port)
    {
        var portText = port.ToString(CultureInfo.InvariantCulture);
        if (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any))
        {
            return $"{Dns.GetHostName()}:{portText}";
        }

        return ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{ip}]:{portText}" : $"{ip}:{portText}";
    }

    [LoggerMessage(EventId = 207, Level = LogLevel.Information, Message = "Ranks reach the runner at {Address}: {Reason}")]
    private static partial void LogChosen(ILogger logger, string address, string reason);
}
