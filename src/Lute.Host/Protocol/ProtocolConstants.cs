namespace Lute.Host.Protocol;

/// <summary>Names of the task protocol (see docs/protocol.md).</summary>
public static class ProtocolConstants
{
    /// <summary>The protocol version this runner speaks.</summary>
    public const int Version = 1;

    /// <summary>The environment variable holding the Unix socket's path.</summary>
    public const string SocketVariable = "LUTE_SOCKET";

    /// <summary>The environment variable holding the TCP address (<c>host:port</c>, <c>[v6]:port</c>) in TCP mode.</summary>
    public const string AddressVariable = "LUTE_ADDRESS";

    /// <summary>The environment variable holding the run's token, which every TCP connection presents first.</summary>
    public const string TokenVariable = "LUTE_TOKEN";

    /// <summary>What the store and the logs show instead of the token.</summary>
    public const string Redacted = "***";

    /// <summary>The environment variable holding the protocol version.</summary>
    public const string ProtocolVariable = "LUTE_PROTOCOL";

    /// <summary>The environment variable holding the run's id.</summary>
    public const string RunIdVariable = "LUTE_RUN_ID";

    /// <summary>The environment variable holding the task's name.</summary>
    public const string TaskVariable = "LUTE_TASK_NAME";

    /// <summary>Every variable of the protocol: the runner sets those of the chosen transport and removes the others.</summary>
    public static IReadOnlyList<string> Variables { get; } = [SocketVariable, AddressVariable, TokenVariable, ProtocolVariable, RunIdVariable, TaskVariable];

    /// <summary>The longest line of standard output or error kept as one log line; longer lines are split.</summary>
    public const int MaxLineBytes = 64 * 1024;
}
