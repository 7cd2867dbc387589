using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Lute.Host.Protocol;

/// <summary>
/// The first line of a TCP connection: <c>{"v": 1, "token": "...", "rank": 0, "host": "node12"}</c> (<c>v</c>,
/// <c>rank</c> and <c>host</c> optional, other fields ignored). Keeps the presented token to itself: it is only ever
/// compared, in constant time, and never shown.
/// </summary>
internal sealed class TcpHandshake
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64, AllowTrailingCommas = false };
    private readonly byte[] _token;

    private TcpHandshake(byte[] token, int? rank, string? host)
    {
        _token = token;
        Rank = rank;
        Host = host;
    }

    /// <summary>The rank the connection says it speaks for, if it says.</summary>
    public int? Rank { get; }

    /// <summary>The host the connection says it comes from, if it says.</summary>
    public string? Host { get; }

    /// <summary>Parses a handshake line. The error never quotes the line (it may hold a token).</summary>
    /// <param name="frame">The line, without its line break.</param>
    /// <param name="handshake">The handshake, when the line is one.</param>
    /// <param name="error">Why the line is not a handshake, when it is not.</param>
    public static bool TryParse(ReadOnlySequence<byte> frame, [NotNullWhen(true)] out TcpHandshake? handshake, [NotNullWhen(false)] out string? error)
    {
        handshake = null;
        if (!FrameParser.IsValidUtf8(frame))
        {
            error = "its first line is not a handshake (not valid UTF-8)";
            return false;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(frame, Options);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            error = "its first line is not a handshake (not valid JSON)";
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = $"its first line is not a handshake (a JSON {root.ValueKind}, not an object)";
                return false;
            }

            if (root.TryGetProperty("v", out var version)
                && (version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var v) || v != ProtocolConstants.Version))
            {
                error = $"its handshake asks for protocol version {Shorten(version.GetRawText())}; this runner speaks version {ProtocolConstants.Version}";
                return false;
            }

            if (!root.TryGetProperty("token", out var tokenElement) || tokenElement.ValueKind != JsonValueKind.String)
            {
                error = "its first line has no \"token\" string (a TCP connection must begin with the handshake)";
                return false;
            }

            int? rank = null;
            if (root.TryGetProperty("rank", out var rankElement) && rankElement.ValueKind != JsonValueKind.Null)
            {
                if (rankElement.ValueKind != JsonValueKind.Number || !rankElement.TryGetInt32(out var r) || r < 0)
                {
                    error = "its handshake's \"rank\" is not a whole number from 0";
                    return false;
                }

                rank = r;
            }

            string? host = null;
            if (root.TryGetProperty("host", out var hostElement) && hostElement.ValueKind != JsonValueKind.Null)
            {
                if (hostElement.ValueKind != JsonValueKind.String)
                {
                    error = "its handshake's \"host\" is not a string";
                    return false;
                }

                host = hostElement.GetString();
            }

            handshake = new TcpHandshake(Encoding.UTF8.GetBytes(tokenElement.GetString()!), rank, host);
            error = null;
            return true;
        }
    }

    /// <summary>True when the handshake presents <paramref name="expected"/>; compared in constant time.</summary>
    /// <param name="expected">The run's token, as UTF-8 bytes.</param>
    public bool Presents(ReadOnlySpan<byte> expected) => CryptographicOperations.FixedTimeEquals(_token, expected);

    private static string Shorten(string text) => text.Length > 20 ? text[..20] + "..." : text;
}
