using Lute.Contracts;

namespace Lute.Host.Protocol;

/// <summary>
/// The structured-message transport an executor's settings choose (plugins.yaml, <c>settings</c> of the executor's
/// plugin): <c>communicator: unix</c> (the default), <c>tcp</c>, with <c>tcp_address</c>, <c>tcp_ports</c>,
/// <c>tcp_handshake_timeout</c> and <c>tcp_address_towards</c>, or the name of a communicator a plugin provides. The
/// standard-stream communicator is open in every case.
/// </summary>
/// <param name="Name">The communicator's name: <see cref="Unix"/>, <see cref="TcpName"/>, or a plugin's.</param>
/// <param name="Tcp">The TCP settings (read and checked in every case).</param>
internal sealed record CommunicatorSettings(string Name, TcpSettings Tcp)
{
    /// <summary>The setting that chooses the transport.</summary>
    public const string CommunicatorKey = "communicator";

    /// <summary>The built-in Unix-socket communicator.</summary>
    public const string Unix = "unix";

    /// <summary>The built-in TCP communicator.</summary>
    public const string TcpName = "tcp";

    /// <summary>The Unix socket.</summary>
    public static CommunicatorSettings Default { get; } = new(Unix, TcpSettings.Default);

    /// <summary>The built-in communicators, as <c>lute plugins</c> lists them.</summary>
    public static IReadOnlyList<(string Name, string Description)> BuiltIn { get; } =
    [
        (Unix, "structured messages over a Unix socket (LUTE_SOCKET); the default"),
        (TcpName, "structured messages over TCP with a token (LUTE_ADDRESS, LUTE_TOKEN), for ranks on other nodes"),
    ];

    /// <summary>True for TCP.</summary>
    public bool UseTcp => Name == TcpName;

    /// <summary>True for a communicator a plugin provides.</summary>
    public bool FromPlugin => Name is not (Unix or TcpName);

    /// <summary>Reads the communicator settings out of an executor plugin's settings; other keys are the executor's.</summary>
    /// <param name="settings">The executor plugin's settings.</param>
    /// <exception cref="FormatException">A value is not valid; the message names the setting.</exception>
    public static CommunicatorSettings Parse(PluginSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var written = settings.Get(CommunicatorKey)?.Trim();
        var name = written?.ToLowerInvariant() switch
        {
            null or Unix => Unix,
            "" => throw Unknown(string.Empty, []),
            TcpName => TcpName,
            _ => written!,
        };
        var tcp = TcpSettings.Parse(settings.Get(TcpSettings.AddressKey), settings.Get(TcpSettings.PortsKey), settings.Get(TcpSettings.HandshakeTimeoutKey), settings.Get(TcpSettings.TowardsKey));
        return new CommunicatorSettings(name, tcp);
    }

    /// <summary>The error for a name that neither a built-in nor a plugin communicator has.</summary>
    /// <param name="name">The name written.</param>
    /// <param name="fromPlugins">The communicators plugins provide.</param>
    public static FormatException Unknown(string name, IReadOnlyList<string> fromPlugins) =>
        new($"setting '{CommunicatorKey}' must be unix or tcp, not '{name}'"
            + (fromPlugins.Count == 0 ? string.Empty : $" (or a communicator a plugin provides: {string.Join(", ", fromPlugins)})"));
}
