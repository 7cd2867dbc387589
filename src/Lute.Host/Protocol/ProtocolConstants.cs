namespace Lute.Host.Protocol;

/// <summary>Names of the task protocol (see docs/protocol.md).</summary>
public static class ProtocolConstants
{
    /// <summary>The protocol version this runner speaks.</summary>
    public const int Version = 1;

    /// <summary>The environment variable holding the Unix socket's path.</summary>
    public const string SocketVariable = "LUTE_SOCKET";

    /// <summary>The environment variable holding the protocol version.</summary>
    public const string ProtocolVariable = "LUTE_PROTOCOL";

    /// <summary>The environment variable holding the run's id.</summary>
    public const string RunIdVariable = "LUTE_RUN_ID";

    /// <summary>The environment variable holding the task's name.</summary>
    public const string TaskVariable = "LUTE_TASK_NAME";

    /// <summary>The longest line of standard output or error kept as one log line; longer lines are split.</summary>
    public const int MaxLineBytes = 64 * 1024;
}
