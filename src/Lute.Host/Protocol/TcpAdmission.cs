using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Lute.Host.Protocol;

/// <summary>
/// What a TCP connection must do before anything it sends is accepted: present the run's token in its first line,
/// within <see cref="Timeout"/>. The token is 32 random bytes, written as 64 lowercase hexadecimal digits.
/// </summary>
internal sealed class TcpAdmission
{
    private readonly byte[] _expected;

    private TcpAdmission(string token, TimeSpan timeout)
    {
        Token = token;
        _expected = Encoding.ASCII.GetBytes(token);
        Timeout = timeout;
    }

    /// <summary>The run's token, handed to the task in <c>LUTE_TOKEN</c>; never logged or recorded.</summary>
    public string Token { get; }

    /// <summary>How long a new connection has to send its handshake line.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>An admission with a fresh random token.</summary>
    /// <param name="timeout">How long a new connection has to send its handshake line.</param>
    public static TcpAdmission Create(TimeSpan timeout) =>
        new(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), timeout);

    /// <summary>Checks a connection's first line.</summary>
    /// <param name="frame">The line, without its line break.</param>
    /// <param name="handshake">The handshake, when the connection is admitted.</param>
    /// <param name="refusal">Why it is refused, when it is; never quotes the line.</param>
    public bool TryAdmit(ReadOnlySequence<byte> frame, [NotNullWhen(true)] out TcpHandshake? handshake, [NotNullWhen(false)] out string? refusal)
    {
        if (!TcpHandshake.TryParse(frame, out handshake, out refusal))
        {
            return false;
        }

        if (!handshake.Presents(_expected))
        {
            handshake = null;
            refusal = "its handshake presents a wrong token";
            return false;
        }

        return true;
    }

    /// <inheritdoc />
    public override string ToString() => $"token {ProtocolConstants.Redacted}, handshake within {Timeout.TotalSeconds:0.###}s";
}
