using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;
using Lute.Contracts;

namespace Lute.Host.Protocol;

/// <summary>Turns one frame (a line of JSON) into a <see cref="TaskMessage"/>, or says exactly why it cannot.</summary>
public static class FrameParser
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64, AllowTrailingCommas = false };

    /// <summary>Parses a frame.</summary>
    /// <param name="frame">The frame's bytes, without the line break.</param>
    /// <param name="message">The message, when the frame is valid.</param>
    /// <param name="error">Why the frame is invalid, when it is.</param>
    /// <returns>True when the frame is a valid message.</returns>
    public static bool TryParse(ReadOnlySequence<byte> frame, out TaskMessage? message, out string? error)
    {
        message = null;
        if (!IsValidUtf8(frame))
        {
            error = "not valid UTF-8";
            return false;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(frame, Options);
        }
        catch (JsonException e)
        {
            error = $"not valid JSON ({e.Message})";
            return false;
        }
        catch (ArgumentException e)
        {
            error = $"not valid JSON ({e.Message})";
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = $"a message must be a JSON object, not {root.ValueKind}";
                return false;
            }

            if (root.TryGetProperty("v", out var version)
                && (version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var v) || v != ProtocolConstants.Version))
            {
                error = $"protocol version {version.GetRawText()} is not supported; this runner speaks version {ProtocolConstants.Version}";
                return false;
            }

            if (!root.TryGetProperty("signal", out var signalElement) || signalElement.ValueKind != JsonValueKind.String)
            {
                error = "a message needs a \"signal\" string";
                return false;
            }

            var signal = signalElement.GetString()!;
            int? rank = null;
            if (root.TryGetProperty("rank", out var rankElement) && rankElement.ValueKind != JsonValueKind.Null)
            {
                if (rankElement.ValueKind != JsonValueKind.Number || !rankElement.TryGetInt32(out var r) || r < 0)
                {
                    error = "\"rank\" must be a whole number from 0";
                    return false;
                }

                rank = r;
            }

            string? host = null;
            if (root.TryGetProperty("host", out var hostElement) && hostElement.ValueKind != JsonValueKind.Null)
            {
                if (hostElement.ValueKind != JsonValueKind.String)
                {
                    error = "\"host\" must be a string";
                    return false;
                }

                host = hostElement.GetString();
            }

            long? id = null;
            if (root.TryGetProperty("id", out var idElement) && idElement.ValueKind != JsonValueKind.Null)
            {
                if (idElement.ValueKind != JsonValueKind.Number || !idElement.TryGetInt64(out var i))
                {
                    error = "\"id\" must be a whole number";
                    return false;
                }

                id = i;
            }

            if (signal == TaskSignals.Request && id is null)
            {
                error = "a TASK_REQUEST needs an \"id\" for its reply";
                return false;
            }

            var contents = root.TryGetProperty("contents", out var c) ? c.Clone() : default;
            message = new TaskMessage(signal, contents, rank, host, id);
            error = null;
            return true;
        }
    }

    /// <summary>True when the frame is valid UTF-8 (checked up front: a string read later would throw).</summary>
    /// <param name="frame">The frame.</param>
    internal static bool IsValidUtf8(ReadOnlySequence<byte> frame)
    {
        if (frame.IsSingleSegment)
        {
            return Utf8.IsValid(frame.FirstSpan);
        }

        var copy = ArrayPool<byte>.Shared.Rent((int)frame.Length);
        try
        {
            frame.CopyTo(copy);
            return Utf8.IsValid(copy.AsSpan(0, (int)frame.Length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }
}
