using Lute.Contracts;

namespace Lute.Host.Protocol;

/// <summary>
/// The structured-message transport an executor's settings choose (plugins.yaml, <c>settings</c> of the executor's
/// plugin): <c>communicator: unix</c> (the default) or <c>tcp</c>, with <c>tcp_address</c>, <c>tcp_ports</c> and
/// <c>tcp_handshake_timeout</c>, <c>tcp_address_towards</c>. The standard-stream communicator is open in both cases.
/// </summary>
/// <param name="UseTcp">True for TCP, false for the Unix socket.</param>
/// <param name="Tcp">The TCP settings (read and checked in both cases).</param>
internal sealed record CommunicatorSettings(bool UseTcp, TcpSettings Tcp)
{
    /// <summary>The setting that chooses the transport.</summary>
    public const string CommunicatorKey = "communicator";

    /// <summary>The Unix socket.</summary>
    public static CommunicatorSettings Default { get; } = new(false, TcpSettings.Default);

    /// <summary>Reads the communicator settings out of an executor plugin's settings; other keys are the executor's.</summary>
    /// <param name="settings">The executor plugin's settings.</param>
    /// <exception cref="FormatException">A value is not valid; the message names the setting.</exception>
    public static CommunicatorSettings Parse(PluginSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var kind = settings.Get(CommunicatorKey)?.Trim().ToLowerInvariant();
        var useTcp = kind switch
        {
            null or "unix" => false,
            "tcp" => true,
            _ => throw new FormatException($"setting '{CommunicatorKey}' must be unix or tcp, not '{settings.Get(CommunicatorKey)}'"),
        };
        var tcp = TcpSettings.Parse(settings.Get(TcpSettings.AddressKey), settings.Get(TcpSettings.PortsKey), settings.Get(TcpSettings.HandshakeTimeoutKey), settings.Get(TcpSettings.TowardsKey));
        return new CommunicatorSettings(useTcp, tcp);
    }
}
