using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Lute.Host.Configuration;

namespace Lute.Host.Protocol;

/// <summary>
/// The address the TCP communicator listens on, from <c>tcp_address</c>:
/// <list type="bullet">
/// <item>an IP address: that one;</item>
/// <item>the name of a network interface of this machine (<c>ib0</c>, <c>eth1</c>): its first IPv4 address, else its
/// first IPv6 address, never a link-local one;</item>
/// <item><c>auto</c>: the source address the kernel picks for a route towards the hosts of <c>tcp_address_towards</c>
/// (without those, towards the SLURM controller named in the <c>slurm.conf</c> of <c>SLURM_CONF</c> or
/// <c>/etc/slurm/slurm.conf</c>): the address of the interface that faces the cluster. When that route stays on
/// this machine through loopback (the hosts are this machine), the address of the interface with the default
/// gateway, else the only address this machine has. Never a loopback or link-local address;</item>
/// <item>any other name: a host name, resolved.</item>
/// </list>
/// Choosing a route sends nothing: a UDP socket is connected (which only looks the route up) and its local address read.
/// </summary>
internal static partial class ListenAddress
{
    private const string DefaultSlurmConf = "/etc/slurm/slurm.conf";

    /// <summary>An address and how it was chosen, for the run's log.</summary>
    /// <param name="Address">The address to listen on.</param>
    /// <param name="Reason">How it was chosen; empty for a literal address.</param>
    internal sealed record Choice(IPAddress Address, string Reason);

    /// <summary>Chooses the address to listen on.</summary>
    /// <param name="settings">The TCP settings.</param>
    /// <param name="environment">The task's environment (for <c>SLURM_CONF</c>).</param>
    /// <param name="owner">Whose settings these are, for error messages.</param>
    /// <param name="cancellationToken">Cancels name resolution.</param>
    /// <exception cref="InputException">The setting names nothing usable; the message names the setting.</exception>
    public static async Task<Choice> ChooseAsync(TcpSettings settings, IReadOnlyDictionary<string, string> environment, string owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(environment);
        if (IPAddress.TryParse(settings.Address, out var literal))
        {
            return new Choice(literal, string.Empty);
        }

        if (settings.IsAuto)
        {
            return await AutoAsync(settings.Towards, environment, owner, cancellationToken).ConfigureAwait(false);
        }

        if (NetworkInterface.GetAllNetworkInterfaces().FirstOrDefault(n => n.Name == settings.Address) is { } device)
        {
            return InterfaceAddress(device) is { } own
                ? new Choice(own, $"the address of interface {device.Name}")
                : throw new InputException($"{owner}: setting '{TcpSettings.AddressKey}': interface {device.Name} has no address other nodes can reach (only loopback or link-local ones)");
        }

        try
        {
            var addresses = await Dns.GetHostAddressesAsync(settings.Address, cancellationToken).ConfigureAwait(false);
            var address = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
                ?? throw new InputException($"{owner}: setting '{TcpSettings.AddressKey}': the host name '{settings.Address}' has no address");
            return new Choice(address, $"the address of host name {settings.Address}");
        }
        catch (SocketException e)
        {
            throw new InputException($"{owner}: setting '{TcpSettings.AddressKey}': '{settings.Address}' is neither a network interface of this machine nor a host name that resolves: {e.Message}", e);
        }
    }

    /// <summary>True for an address another host can use to reach this one: not loopback, link-local or a wildcard.</summary>
    public static bool IsReachableFromElsewhere(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return false;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var bytes = address.GetAddressBytes();
            return !(bytes[0] == 169 && bytes[1] == 254);
        }

        return !address.IsIPv6LinkLocal && !address.IsIPv6Multicast;
    }

    /// <summary>The local address the kernel would send from to reach <paramref name="target"/>, or null without a route.</summary>
    public static IPAddress? RouteSource(IPAddress target)
    {
        ArgumentNullException.ThrowIfNull(target);
        using var probe = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            // Connecting a UDP socket selects the route and the source address; nothing is sent.
            probe.Connect(new IPEndPoint(target, 9));
            return ((IPEndPoint)probe.LocalEndPoint!).Address;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    /// <summary>The SLURM controller of the first <c>SlurmctldHost</c> (or <c>ControlAddr</c>) line: its address, else its name.</summary>
    /// <param name="path">The slurm.conf file.</param>
    public static string? SlurmController(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        string? machine = null;
        foreach (var raw in lines)
        {
            var line = raw.Split('#', 2)[0].Trim();
            if (ControllerLine().Match(line) is { Success: true } host)
            {
                return host.Groups["address"].Success ? host.Groups["address"].Value : host.Groups["name"].Value;
            }

            if (LegacyLine().Match(line) is { Success: true } legacy)
            {
                if (legacy.Groups["key"].Value.Equals("ControlAddr", StringComparison.OrdinalIgnoreCase))
                {
                    return legacy.Groups["value"].Value;
                }

                machine ??= legacy.Groups["value"].Value;
            }
        }

        return machine;
    }

    private static async Task<Choice> AutoAsync(IReadOnlyList<string> towards, IReadOnlyDictionary<string, string> environment, string owner, CancellationToken cancellationToken)
    {
        var explicitTargets = towards.Count > 0;
        IReadOnlyList<string> targets = towards;
        var about = $"the hosts of '{TcpSettings.TowardsKey}'";
        if (!explicitTargets)
        {
            var conf = environment.TryGetValue("SLURM_CONF", out var configured) && configured.Length > 0 ? configured : DefaultSlurmConf;
            targets = SlurmController(conf) is { } controller ? [controller] : [];
            about = $"the SLURM controller of {conf}";
        }

        foreach (var target in targets)
        {
            IPAddress[] addresses;
            try
            {
                addresses = IPAddress.TryParse(target, out var ip) ? [ip] : await Dns.GetHostAddressesAsync(target, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException) when (!explicitTargets)
            {
                continue;
            }
            catch (SocketException e)
            {
                throw new InputException($"{owner}: setting '{TcpSettings.TowardsKey}': cannot resolve the host name '{target}': {e.Message}", e);
            }

            foreach (var address in addresses.OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1))
            {
                if (RouteSource(address) is { } source && IsReachableFromElsewhere(source))
                {
                    return new Choice(source, $"tcp_address auto: the route towards {target} ({about})");
                }
            }
        }

        // No target, or the targets are this machine (reached through loopback): this machine's own address.
        var candidates = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus != OperationalStatus.Down && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .Select(n => (Device: n, Address: InterfaceAddress(n)))
            .Where(c => c.Address is not null)
            .ToList();
        var withGateway = candidates.Where(c => c.Device.GetIPProperties().GatewayAddresses.Count > 0).ToList();
        var reason = targets.Count == 0 ? $"no {about}" : $"{about} is this machine";
        if (withGateway.Count > 0)
        {
            return new Choice(withGateway[0].Address!, $"tcp_address auto: {reason}; the address of {withGateway[0].Device.Name}, the interface with the default gateway");
        }

        if (candidates.Count == 1)
        {
            return new Choice(candidates[0].Address!, $"tcp_address auto: {reason}; the address of {candidates[0].Device.Name}, the only interface");
        }

        throw new InputException(candidates.Count == 0
            ? $"{owner}: setting '{TcpSettings.AddressKey}: {TcpSettings.Auto}': this machine has no address other nodes can reach (only loopback and link-local ones)"
            : $"{owner}: setting '{TcpSettings.AddressKey}: {TcpSettings.Auto}': {reason}, and this machine has several interfaces ({string.Join(", ", candidates.Select(c => $"{c.Device.Name} {c.Address}"))}): set '{TcpSettings.AddressKey}' to one of them or '{TcpSettings.TowardsKey}' to a compute node");
    }

    private static IPAddress? InterfaceAddress(NetworkInterface device)
    {
        var addresses = device.GetIPProperties().UnicastAddresses.Select(u => u.Address).Where(IsReachableFromElsewhere).ToList();
        return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
    }

    [GeneratedRegex(@"^SlurmctldHost\s*=\s*(?<name>[^\s(]+)(?:\((?<address>[^)\s]+)\))?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ControllerLine();

    [GeneratedRegex(@"^(?<key>ControlAddr|ControlMachine)\s*=\s*(?<value>\S+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LegacyLine();
}
