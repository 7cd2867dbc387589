using System.Buffers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Lute.Contracts;
using Microsoft.Extensions.Logging;

namespace Lute.Host.Protocol;

/// <summary>
/// Reads one connection of a task to its end, whatever the transport: frames become events, requests get replies
/// on the same connection, malformed and oversized frames are logged and dropped. When the connection must first
/// present the run's token (TCP), nothing it sends is accepted before its handshake line is, and a connection that
/// fails the handshake is closed and logged with its peer address and the reason.
/// </summary>
internal sealed partial class ProtocolConnection(
    CommunicatorContext context, Socket socket, int number, int maxBytes, TcpAdmission? admission, CancellationToken stop, RankHosts? hosts = null)
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly List<Task> _pending = [];
    private bool _admitted = admission is null;
    private string? _refusal;

    /// <summary>Reads the connection until the task closes it or the run is torn down; never throws.</summary>
    public async Task ServeAsync()
    {
        using var owned = socket;
        var peer = admission is null ? string.Empty : PeerOf(socket);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(stop);
        if (admission is not null)
        {
            reading.CancelAfter(admission.Timeout);
        }

        try
        {
            await LineReader.ReadAsync(
                stream,
                maxBytes,
                OversizedLines.Drop,
                frame => OnFrameAsync(frame, stream, reading, peer),
                length => OnOversized(length, reading),
                reading.Token).ConfigureAwait(false);
            await Task.WhenAll(_pending).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_admitted && _refusal is null && !stop.IsCancellationRequested)
        {
            _refusal = $"no handshake within {admission!.Timeout.TotalSeconds:0.###}s";
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // The task closed its end, a refused connection stopped being read, or the run is being torn down.
        }
        catch (Exception e) when (e is InvalidOperationException or JsonException or FormatException)
        {
            // Whatever a connection sends ends at most that connection, never the run.
            LogConnectionFailed(context.Logger, number, e.Message);
        }

        if (!_admitted && _refusal is null && !stop.IsCancellationRequested)
        {
            _refusal = "it closed the connection without sending the handshake";
        }

        if (_refusal is not null)
        {
            LogRefused(context.Logger, number, peer, _refusal);
        }
    }

    private ValueTask OnFrameAsync(ReadOnlySequence<byte> frame, NetworkStream stream, CancellationTokenSource reading, string peer)
    {
        if (frame.Length == 0 || _refusal is not null)
        {
            return ValueTask.CompletedTask;
        }

        if (!_admitted)
        {
            Admit(frame, reading, peer);
            return ValueTask.CompletedTask;
        }

        if (!FrameParser.TryParse(frame, out var message, out var error))
        {
            LogBadFrame(context.Logger, number, error!, Preview(frame));
            return ValueTask.CompletedTask;
        }

        return HandleAsync(message!, stream);
    }

    private void Admit(ReadOnlySequence<byte> frame, CancellationTokenSource reading, string peer)
    {
        // The handshake line is never logged: it holds a token, perhaps the run's own.
        if (!admission!.TryAdmit(frame, out var handshake, out var reason))
        {
            _refusal = reason;
            reading.Cancel();
            return;
        }

        reading.CancelAfter(Timeout.InfiniteTimeSpan);
        if (reading.IsCancellationRequested)
        {
            // The time limit fired while the handshake was being checked: too late is too late.
            _refusal = $"no handshake within {admission.Timeout.TotalSeconds:0.###}s";
            return;
        }

        _admitted = true;
        if (handshake.Rank is { } rank && handshake.Host is { } host)
        {
            hosts?.Record(rank, host);
        }

        LogAdmitted(context.Logger, number, peer, handshake.Rank?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-", handshake.Host ?? "-");
    }

    private void OnOversized(long length, CancellationTokenSource reading)
    {
        if (_admitted)
        {
            LogOversized(context.Logger, number, length, maxBytes);
            return;
        }

        _refusal ??= $"its first line is larger than the {maxBytes}-byte limit";
        reading.Cancel();
    }

    private ValueTask HandleAsync(TaskMessage message, NetworkStream stream)
    {
        var now = DateTimeOffset.UtcNow;
        switch (message.Signal)
        {
            case TaskSignals.Log:
                return context.Events.PublishAsync(new LogLineEvent(now, LogSource.Message, LogText(message.Contents), message.Rank), stop);
            case TaskSignals.Request:
                _pending.RemoveAll(t => t.IsCompleted);
                _pending.Add(ReplyAsync(message, stream));
                return ValueTask.CompletedTask;
            default:
                if (!TaskSignals.All.Contains(message.Signal))
                {
                    LogUnknownSignal(context.Logger, number, message.Signal);
                }

                return context.Events.PublishAsync(new TaskMessageEvent(now, message), stop);
        }
    }

    private async Task ReplyAsync(TaskMessage request, NetworkStream stream)
    {
        var reply = await context.Events.RequestAsync(request, stop).ConfigureAwait(false);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", ProtocolConstants.Version);
            writer.WriteNumber("reply_to", request.RequestId!.Value);
            writer.WriteBoolean("ok", reply.Ok);
            if (reply.Contents is { } contents)
            {
                writer.WritePropertyName("contents");
                contents.WriteTo(writer);
            }

            if (reply.Error is not null)
            {
                writer.WriteString("error", reply.Error);
            }

            writer.WriteEndObject();
        }

        buffer.Write("\n"u8);
        await _writeLock.WaitAsync(stop).ConfigureAwait(false);
        try
        {
            await stream.WriteAsync(buffer.WrittenMemory, stop).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            LogReplyLost(context.Logger, number, request.RequestId.Value);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private static string PeerOf(Socket socket)
    {
        try
        {
            return socket.RemoteEndPoint?.ToString() ?? "an unknown peer";
        }
        catch (SocketException)
        {
            return "a peer that already left";
        }
    }

    private static string LogText(JsonElement contents) => contents.ValueKind switch
    {
        JsonValueKind.String => contents.GetString()!,
        JsonValueKind.Object when contents.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String => m.GetString()!,
        JsonValueKind.Undefined => string.Empty,
        _ => contents.GetRawText(),
    };

    private static string Preview(ReadOnlySequence<byte> frame)
    {
        // Control characters (a lone \r, escape sequences) are shown escaped: a frame cannot forge or hide log lines.
        var text = Utf8.GetString(frame.Slice(0, Math.Min(frame.Length, 80)));
        var builder = new StringBuilder(text.Length + 3);
        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return frame.Length > 80 ? builder.Append("...").ToString() : builder.ToString();
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Warning, Message = "Dropped a malformed message on connection {Connection}: {Error}; it began: {Preview}")]
    private static partial void LogBadFrame(ILogger logger, int connection, string error, string preview);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "Dropped a message of {Length} bytes on connection {Connection}: larger than the {Limit}-byte limit (max_message_bytes)")]
    private static partial void LogOversized(ILogger logger, int connection, long length, int limit);

    [LoggerMessage(EventId = 202, Level = LogLevel.Information, Message = "Connection {Connection} sent signal {Signal}, which protocol v1 does not define; passed to hooks as 'message'")]
    private static partial void LogUnknownSignal(ILogger logger, int connection, string signal);

    [LoggerMessage(EventId = 203, Level = LogLevel.Warning, Message = "The reply to request {RequestId} on connection {Connection} could not be sent: the task closed the connection")]
    private static partial void LogReplyLost(ILogger logger, int connection, long requestId);

    [LoggerMessage(EventId = 204, Level = LogLevel.Warning, Message = "Connection {Connection} was closed after an error: {Error}")]
    private static partial void LogConnectionFailed(ILogger logger, int connection, string error);

    [LoggerMessage(EventId = 205, Level = LogLevel.Warning, Message = "Refused connection {Connection} from {Peer}: {Reason}; closed it")]
    private static partial void LogRefused(ILogger logger, int connection, string peer, string reason);

    [LoggerMessage(EventId = 206, Level = LogLevel.Debug, Message = "Connection {Connection} from {Peer} presented the run's token (rank {Rank}, host {Host})")]
    private static partial void LogAdmitted(ILogger logger, int connection, string peer, string rank, string host);
}
