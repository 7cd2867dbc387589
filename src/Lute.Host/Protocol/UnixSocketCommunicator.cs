using System.Buffers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Lute.Contracts;
using Microsoft.Extensions.Logging;

namespace Lute.Host.Protocol;

/// <summary>
/// Receives the task's structured messages over a Unix domain socket in a private directory (mode 0700; the socket
/// is 0600). The socket's path is handed to the task in <c>LUTE_SOCKET</c>. Malformed, oversized or unknown input
/// is logged and dropped; nothing a task sends can bring the runner down.
/// </summary>
internal sealed partial class UnixSocketCommunicator(int maxMessageBytes) : ICommunicator
{
    public async ValueTask<ICommunicatorSession> OpenAsync(CommunicatorContext context, CancellationToken cancellationToken = default)
    {
        var directory = Directory.CreateTempSubdirectory("lute-");
        File.SetUnixFileMode(directory.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var path = Path.Combine(directory.FullName, "task.sock");
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            listener.Listen(512);
        }
        catch
        {
            listener.Dispose();
            directory.Delete(recursive: true);
            throw;
        }

        var session = new Session(context, listener, directory.FullName, path, maxMessageBytes);
        session.Start();
        await Task.CompletedTask.ConfigureAwait(false);
        return session;
    }

    private sealed partial class Session(CommunicatorContext context, Socket listener, string directory, string path, int maxBytes)
        : ICommunicatorSession
    {
        private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Task> _connections = [];
        private readonly Lock _gate = new();
        private Task _accepting = Task.CompletedTask;
        private int _connectionCount;

        public string Description => $"unix socket {path}";

        public IReadOnlyDictionary<string, string> TaskEnvironment { get; } = new Dictionary<string, string>
        {
            [ProtocolConstants.SocketVariable] = path,
            [ProtocolConstants.ProtocolVariable] = ProtocolConstants.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

        public void Start() => _accepting = Task.Run(AcceptAsync);

        public ValueTask AttachAsync(IExecution execution, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket client;
                try
                {
                    client = await listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
                {
                    return;
                }

                var number = Interlocked.Increment(ref _connectionCount);
                lock (_gate)
                {
                    _connections.RemoveAll(t => t.IsCompleted);
                    _connections.Add(Task.Run(() => ServeAsync(client, number)));
                }
            }
        }

        private async Task ServeAsync(Socket client, int number)
        {
            using var socket = client;
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            var writeLock = new SemaphoreSlim(1, 1);
            var pending = new List<Task>();
            try
            {
                await LineReader.ReadAsync(
                    stream,
                    maxBytes,
                    OversizedLines.Drop,
                    frame =>
                    {
                        if (frame.Length == 0)
                        {
                            return ValueTask.CompletedTask;
                        }

                        if (!FrameParser.TryParse(frame, out var message, out var error))
                        {
                            LogBadFrame(context.Logger, number, error!, Preview(frame));
                            return ValueTask.CompletedTask;
                        }

                        return HandleAsync(message!, stream, writeLock, pending, number);
                    },
                    length => LogOversized(context.Logger, number, length, maxBytes),
                    _stop.Token).ConfigureAwait(false);
                await Task.WhenAll(pending).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
            {
                // The task closed its end, or the run is being torn down.
            }
            catch (Exception e) when (e is InvalidOperationException or JsonException or FormatException)
            {
                // Whatever a connection sends ends at most that connection, never the run.
                LogConnectionFailed(context.Logger, number, e.Message);
            }
        }

        private ValueTask HandleAsync(TaskMessage message, NetworkStream stream, SemaphoreSlim writeLock, List<Task> pending, int number)
        {
            var now = DateTimeOffset.UtcNow;
            switch (message.Signal)
            {
                case TaskSignals.Log:
                    return context.Events.PublishAsync(new LogLineEvent(now, LogSource.Message, LogText(message.Contents), message.Rank), _stop.Token);
                case TaskSignals.Request:
                    pending.RemoveAll(t => t.IsCompleted);
                    pending.Add(ReplyAsync(message, stream, writeLock, number));
                    return ValueTask.CompletedTask;
                default:
                    if (!TaskSignals.All.Contains(message.Signal))
                    {
                        LogUnknownSignal(context.Logger, number, message.Signal);
                    }

                    return context.Events.PublishAsync(new TaskMessageEvent(now, message), _stop.Token);
            }
        }

        private async Task ReplyAsync(TaskMessage request, NetworkStream stream, SemaphoreSlim writeLock, int number)
        {
            var reply = await context.Events.RequestAsync(request, _stop.Token).ConfigureAwait(false);
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
            await writeLock.WaitAsync(_stop.Token).ConfigureAwait(false);
            try
            {
                await stream.WriteAsync(buffer.WrittenMemory, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                LogReplyLost(context.Logger, number, request.RequestId.Value);
            }
            finally
            {
                writeLock.Release();
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
            var text = Utf8.GetString(frame.Slice(0, Math.Min(frame.Length, 80)));
            return frame.Length > 80 ? text + "..." : text;
        }

        public async Task DrainAsync(CancellationToken cancellationToken = default)
        {
            // The task has exited: connections it made end when the kernel closes them; wait for those.
            Task[] open;
            lock (_gate)
            {
                open = [.. _connections];
            }

            await Task.WhenAll(open).WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            listener.Dispose();
            Task[] open;
            lock (_gate)
            {
                open = [.. _connections, _accepting];
            }

            await Task.WhenAll(open).ConfigureAwait(false);
            _stop.Dispose();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // Already gone.
            }
        }

        [LoggerMessage(EventId = 200, Level = LogLevel.Warning, Message = "Dropped a malformed message on connection {Connection}: {Error}; it began: {Preview}")]
        private static partial void LogBadFrame(ILogger logger, int connection, string error, string preview);

        [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "Dropped a message of {Length} bytes on connection {Connection}: larger than the {Limit}-byte limit (max_message_bytes)")]
        private static partial void LogOversized(ILogger logger, int connection, long length, int limit);

        [LoggerMessage(EventId = 202, Level = LogLevel.Information, Message = "Connection {Connection} sent signal {Signal}, which protocol v1 does not define; passed to hooks as 'message'")]
        private static partial void LogUnknownSignal(ILogger logger, int connection, string signal);

        [LoggerMessage(EventId = 204, Level = LogLevel.Warning, Message = "Connection {Connection} was closed after an error: {Error}")]
        private static partial void LogConnectionFailed(ILogger logger, int connection, string error);

        [LoggerMessage(EventId = 203, Level = LogLevel.Warning, Message = "The reply to request {RequestId} on connection {Connection} could not be sent: the task closed the connection")]
        private static partial void LogReplyLost(ILogger logger, int connection, long requestId);
    }
}
