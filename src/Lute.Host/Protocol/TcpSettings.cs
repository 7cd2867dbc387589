using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Lute.Host.Configuration;

namespace Lute.Host.Protocol;

/// <summary>Where the TCP communicator listens, and how long a connection has for its handshake.</summary>
/// <param name="Address">
/// A literal IP address (without brackets), <c>auto</c>, or a name: a network interface of this machine if one has
/// that name, else a host name to resolve (see <see cref="ListenAddress"/>).
/// </param>
/// <param name="FirstPort">The first port to try; 0 for any free port.</param>
/// <param name="LastPort">The last port to try (equal to <paramref name="FirstPort"/> for a single port).</param>
/// <param name="HandshakeTimeout">How long a new connection has to present the token.</param>
internal sealed record TcpSettings(string Address, int FirstPort, int LastPort, TimeSpan HandshakeTimeout)
{
    /// <summary>The value of <c>tcp_address</c> that chooses the address from the routes (<see cref="ListenAddress"/>).</summary>
    public const string Auto = "auto";

    /// <summary>The setting that names the hosts <c>auto</c> chooses the address towards.</summary>
    public const string TowardsKey = "tcp_address_towards";

    /// <summary>The setting that names the address.</summary>
    public const string AddressKey = "tcp_address";

    /// <summary>The setting that names the ports.</summary>
    public const string PortsKey = "tcp_ports";

    /// <summary>The setting that bounds the handshake.</summary>
    public const string HandshakeTimeoutKey = "tcp_handshake_timeout";

    /// <summary>Loopback, any free port, 5 s for the handshake.</summary>
    public static TcpSettings Default { get; } = new("127.0.0.1", 0, 0, TimeSpan.FromSeconds(5));

    /// <summary>With <see cref="Auto"/>: the hosts (names or IP addresses) whose route gives the address; empty for the default.</summary>
    public IReadOnlyList<string> Towards { get; init; } = [];

    /// <summary>True when the address is chosen from the routes.</summary>
    public bool IsAuto => Address == Auto;

    /// <summary>True when any free port will do.</summary>
    public bool AnyPort => FirstPort == 0;

    /// <summary>The ports as written in the settings.</summary>
    public string Ports => AnyPort ? "0" : FirstPort == LastPort
        ? FirstPort.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{FirstPort}-{LastPort}");

    /// <summary>Reads the <c>tcp_*</c> settings; absent ones take their defaults.</summary>
    /// <param name="address">The <c>tcp_address</c> value, or null.</param>
    /// <param name="ports">The <c>tcp_ports</c> value, or null.</param>
    /// <param name="handshakeTimeout">The <c>tcp_handshake_timeout</c> value, or null.</param>
    /// <param name="towards">The <c>tcp_address_towards</c> value, or null; alone it implies <c>tcp_address: auto</c>.</param>
    /// <exception cref="FormatException">A value is not valid; the message names the setting.</exception>
    public static TcpSettings Parse(string? address, string? ports, string? handshakeTimeout, string? towards = null)
    {
        var settings = Default;
        if (address is not null)
        {
            settings = settings with { Address = ParseAddress(address) };
        }

        if (towards is not null)
        {
            if (address is not null && !settings.IsAuto)
            {
                throw new FormatException($"setting '{TowardsKey}' applies only with '{AddressKey}: {Auto}' (or without '{AddressKey}'), not with '{AddressKey}: {address}'");
            }

            settings = settings with { Address = Auto, Towards = ParseTowards(towards) };
        }

        if (ports is not null)
        {
            var (first, last) = ParsePorts(ports);
            settings = settings with { FirstPort = first, LastPort = last };
        }

        if (handshakeTimeout is not null)
        {
            settings = settings with
            {
                HandshakeTimeout = Durations.TryParse(handshakeTimeout, out var timeout)
                    ? timeout
                    : throw new FormatException($"setting '{HandshakeTimeoutKey}' must be a duration such as 500ms, 5s or 1m, not '{handshakeTimeout}'"),
            };
        }

        return settings;
    }

    private static List<string> ParseTowards(string text)
    {
        var hosts = text.Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var valid = hosts.Length > 0 && hosts.All(h => IPAddress.TryParse(h.Trim('[', ']'), out _) || Uri.CheckHostName(h) == UriHostNameType.Dns);
        return valid
            ? [.. hosts.Select(h => h.Trim('[', ']'))]
            : throw new FormatException($"setting '{TowardsKey}' must be host names or IP addresses separated by commas, not '{text}'");
    }

    private static string ParseAddress(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Equals(Auto, StringComparison.OrdinalIgnoreCase))
        {
            return Auto;
        }

        var bracketed = trimmed.StartsWith('[') && trimmed.EndsWith(']');
        var unbracketed = bracketed ? trimmed[1..^1] : trimmed;
        var valid = unbracketed.Contains(':', StringComparison.Ordinal)
            ? !unbracketed.Contains('[', StringComparison.Ordinal) && !unbracketed.Contains(']', StringComparison.Ordinal)
              && IPAddress.TryParse(unbracketed, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6
            : unbracketed.All(c => char.IsAsciiDigit(c) || c == '.')
                ? unbracketed.Split('.').Length == 4 && IPAddress.TryParse(unbracketed, out _) && !bracketed
                : Uri.CheckHostName(unbracketed) == UriHostNameType.Dns && !bracketed;
        return valid
            ? IPAddress.TryParse(unbracketed, out var ip) ? ip.ToString() : unbracketed
            : throw new FormatException($"setting '{AddressKey}' must be an IP address (10.1.2.3, 0.0.0.0, ::), auto, a network interface (ib0) or a host name, not '{text}'");
    }

    private static (int First, int Last) ParsePorts(string text)
    {
        var parts = text.Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length == 1 && TryPort(parts[0], allowZero: true, out var port))
        {
            return (port, port);
        }

        if (parts.Length == 2 && TryPort(parts[0], allowZero: false, out var first) && TryPort(parts[1], allowZero: false, out var last) && first <= last)
        {
            return (first, last);
        }

        throw new FormatException($"setting '{PortsKey}' must be a port (1-65535), a range such as 40000-40100, or 0 for any free port, not '{text}'");
    }

    private static bool TryPort(string text, bool allowZero, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= IPEndPoint.MaxPort && (port > 0 || allowZero);
}
