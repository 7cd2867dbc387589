using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lute.Client;

/// <summary>
/// Sends a task's messages to the Lute runner (protocol v1, newline-delimited JSON): over TCP to the address in
/// <c>LUTE_ADDRESS</c>, presenting <c>LUTE_TOKEN</c> first, when it is set, else over the Unix socket named in
/// <c>LUTE_SOCKET</c>. Thread-safe. When the task runs without a runner (neither is set) the client is detached and
/// every send does nothing, so the same task runs stand-alone.
/// </summary>
public sealed class LuteClient : IAsyncDisposable
{
    /// <summary>The environment variable that holds the socket's path.</summary>
    public const string SocketVariable = "LUTE_SOCKET";

    /// <summary>The environment variable that holds the runner's TCP address (<c>host:port</c> or <c>[address]:port</c>).</summary>
    public const string AddressVariable = "LUTE_ADDRESS";

    /// <summary>The environment variable that holds the token a TCP connection presents first.</summary>
    public const string TokenVariable = "LUTE_TOKEN";

    /// <summary>The environment variable that holds the task's W3C trace context when the run is traced.</summary>
    public const string TraceParentVariable = "TRACEPARENT";

    private static readonly TimeSpan ConnectLimit = TimeSpan.FromSeconds(10);

    private static readonly string[] RankVariables = ["OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK", "SLURM_PROCID"];
    private readonly Socket? _socket;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonNode?>> _pending = new();

    /// <summary>Set once the reader has stopped: a request made after that can never be answered.</summary>
    private volatile bool _readerStopped;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading = Task.CompletedTask;
    private readonly int? _rank;
    private readonly string _host;
    private long _nextId;

    private LuteClient(Socket? socket)
    {
        _socket = socket;
        _rank = ReadRank();
        _host = Environment.MachineName;
        if (socket is not null)
        {
            _reading = Task.Run(ReadRepliesAsync);
        }
    }

    /// <summary>True when connected to a runner; false when the task runs stand-alone.</summary>
    public bool IsAttached => _socket is not null;

    /// <summary>This process's rank, read from the MPI or SLURM environment, if any.</summary>
    public int? Rank => _rank;

    /// <summary>
    /// The task's span as a W3C <c>traceparent</c> (<c>00-TRACEID-SPANID-FLAGS</c>) when the runner traces the run, else
    /// null: pass it to your tracer as the parent (<c>ActivityContext.TryParse(LuteClient.TraceParent, null, out var parent)</c>)
    /// and the task's own spans join the run's trace.
    /// </summary>
    public static string? TraceParent => Environment.GetEnvironmentVariable(TraceParentVariable) is { Length: > 0 } value ? value : null;

    /// <summary>True when the environment names a runner (<c>LUTE_ADDRESS</c> or <c>LUTE_SOCKET</c> is set).</summary>
    public static bool RunnerInEnvironment =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(AddressVariable)) || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(SocketVariable));

    /// <summary>
    /// Connects to the runner at <c>LUTE_ADDRESS</c> (with <c>LUTE_TOKEN</c>), else at <c>LUTE_SOCKET</c>, or returns a
    /// detached client when neither is set.
    /// </summary>
    /// <param name="cancellationToken">Cancels the connection.</param>
    /// <exception cref="LuteClientException">A runner is named but cannot be reached, or <c>LUTE_TOKEN</c> is missing.</exception>
    public static Task<LuteClient> FromEnvironmentAsync(CancellationToken cancellationToken = default)
    {
        var address = Environment.GetEnvironmentVariable(AddressVariable);
        if (!string.IsNullOrEmpty(address))
        {
            var token = Environment.GetEnvironmentVariable(TokenVariable);
            return string.IsNullOrEmpty(token)
                ? throw new LuteClientException($"{AddressVariable} is set but {TokenVariable} is not: the runner refuses connections without its token")
                : ConnectTcpAsync(address, token, cancellationToken);
        }

        var path = Environment.GetEnvironmentVariable(SocketVariable);
        return string.IsNullOrEmpty(path)
            ? Task.FromResult(new LuteClient(null))
            : ConnectAsync(path, cancellationToken);
    }

    /// <summary>Connects to the runner listening on TCP at <paramref name="address"/> and presents the token.</summary>
    /// <param name="address"><c>host:port</c>, or <c>[address]:port</c> for IPv6.</param>
    /// <param name="token">The run's token (<c>LUTE_TOKEN</c>).</param>
    /// <param name="cancellationToken">Cancels the connection.</param>
    /// <exception cref="LuteClientException">The address is malformed or the runner cannot be reached.</exception>
    public static async Task<LuteClient> ConnectTcpAsync(string address, string token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(token);
        var endPoint = ParseAddress(address);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(ConnectLimit);
        try
        {
            await socket.ConnectAsync(endPoint, limit.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            socket.Dispose();
            var why = e is SocketException ? e.Message : $"no answer within {ConnectLimit.TotalSeconds:0}s";
            throw new LuteClientException($"cannot reach the Lute runner at {AddressVariable}={address}: {why}", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var client = new LuteClient(socket);
        try
        {
            await client.WriteLineAsync(writer =>
            {
                writer.WriteNumber("v", 1);
                writer.WriteString("token", token);
                client.WriteSender(writer);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return client;
    }

    /// <summary>Connects to the runner listening at <paramref name="socketPath"/>.</summary>
    /// <param name="socketPath">The Unix socket's path.</param>
    /// <param name="cancellationToken">Cancels the connection.</param>
    /// <exception cref="LuteClientException">The runner cannot be reached.</exception>
    public static async Task<LuteClient> ConnectAsync(string socketPath, CancellationToken cancellationToken = default)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new LuteClientException($"cannot reach the Lute runner at {SocketVariable}={socketPath}: {e.Message}", e);
        }

        return new LuteClient(socket);
    }

    /// <summary>Sends a message.</summary>
    /// <param name="signal">The signal, for example <c>TASK_RESULT</c>.</param>
    /// <param name="contents">The contents, any JSON value.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    public Task SendAsync(string signal, JsonNode? contents = null, CancellationToken cancellationToken = default) =>
        SendAsync(signal, contents, id: null, cancellationToken);

    /// <summary>Says the task has started.</summary>
    /// <param name="cancellationToken">Cancels the send.</param>
    public Task StartedAsync(CancellationToken cancellationToken = default) => SendAsync("TASK_STARTED", null, cancellationToken);

    /// <summary>Sends a log line.</summary>
    /// <param name="message">The line.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    public Task LogAsync(string message, CancellationToken cancellationToken = default) =>
        SendAsync("TASK_LOG", JsonValue.Create(message), cancellationToken);

    /// <summary>Sends the task's result.</summary>
    /// <param name="payload">The result payload.</param>
    /// <param name="summary">Key/value pairs for the run's summary.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    public Task ResultAsync(JsonNode? payload, IReadOnlyDictionary<string, string>? summary = null, CancellationToken cancellationToken = default)
    {
        var contents = new JsonObject { ["payload"] = payload };
        if (summary is not null)
        {
            var map = new JsonObject();
            foreach (var (key, value) in summary)
            {
                map[key] = value;
            }

            contents["summary"] = map;
        }

        return SendAsync("TASK_RESULT", contents, cancellationToken);
    }

    /// <summary>
    /// Adds a section to the run's HTML report: an HTML fragment (<paramref name="html"/>) or an image
    /// (<paramref name="image"/>, for example a PNG).
    /// </summary>
    /// <param name="title">The section's heading, if any.</param>
    /// <param name="html">An HTML fragment, included as it is.</param>
    /// <param name="image">An image's bytes.</param>
    /// <param name="mediaType">The image's media type.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    public Task ReportAsync(string? title, string? html = null, ReadOnlyMemory<byte>? image = null, string mediaType = "image/png", CancellationToken cancellationToken = default)
    {
        var item = new JsonObject();
        if (title is not null)
        {
            item["title"] = title;
        }

        if (html is not null)
        {
            item["html"] = html;
        }
        else if (image is { } bytes)
        {
            item["image"] = Convert.ToBase64String(bytes.Span);
            item["media_type"] = mediaType;
        }
        else
        {
            throw new ArgumentException("a report section needs html or an image", nameof(html));
        }

        return SendAsync("TASK_RESULT", new JsonObject { ["report"] = new JsonArray(item) }, cancellationToken);
    }

    /// <summary>Says the task has finished its work.</summary>
    /// <param name="cancellationToken">Cancels the send.</param>
    public Task DoneAsync(CancellationToken cancellationToken = default) => SendAsync("TASK_DONE", null, cancellationToken);

    /// <summary>Says the task has failed; the run ends FAILED even if the process exits with 0.</summary>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    public Task FailedAsync(string reason, CancellationToken cancellationToken = default) =>
        SendAsync("TASK_FAILED", new JsonObject { ["reason"] = reason }, cancellationToken);

    /// <summary>Sends metadata to record with the run.</summary>
    /// <param name="metadata">Key/value pairs.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    public Task MetadataAsync(JsonObject metadata, CancellationToken cancellationToken = default) =>
        SendAsync("TASK_METADATA", metadata, cancellationToken);

    /// <summary>Asks the runner's hooks a question and waits for the answer.</summary>
    /// <param name="contents">The question.</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    /// <returns>The answer.</returns>
    /// <exception cref="LuteClientException">No hook answered, or the client is detached.</exception>
    public async Task<JsonNode?> RequestAsync(JsonNode? contents, CancellationToken cancellationToken = default)
    {
        if (_socket is null)
        {
            throw new LuteClientException("cannot send a request: the task runs without a Lute runner (neither LUTE_ADDRESS nor LUTE_SOCKET is set)");
        }

        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        try
        {
            // Registered first, then checked: either the reader still runs and will answer or fail this request when
            // it stops, or it has stopped and the request fails here instead of waiting for ever.
            if (_readerStopped)
            {
                throw new LuteClientException("the Lute runner closed the connection before replying");
            }

            await SendAsync("TASK_REQUEST", contents, id, cancellationToken).ConfigureAwait(false);
            return await reply.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    private async Task SendAsync(string signal, JsonNode? contents, long? id, CancellationToken cancellationToken)
    {
        if (_socket is null)
        {
            return;
        }

        await WriteLineAsync(
            writer =>
            {
                writer.WriteNumber("v", 1);
                writer.WriteString("signal", signal);
                WriteSender(writer);
                if (id is { } requestId)
                {
                    writer.WriteNumber("id", requestId);
                }

                if (contents is not null)
                {
                    writer.WritePropertyName("contents");
                    contents.WriteTo(writer);
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    private void WriteSender(Utf8JsonWriter writer)
    {
        if (_rank is { } rank)
        {
            writer.WriteNumber("rank", rank);
        }

        writer.WriteString("host", _host);
    }

    /// <summary>Writes one JSON object, built by <paramref name="fields"/>, as one line.</summary>
    private async Task WriteLineAsync(Action<Utf8JsonWriter> fields, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            fields(writer);
            writer.WriteEndObject();
        }

        buffer.Write("\n"u8);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var memory = buffer.WrittenMemory;
            while (!memory.IsEmpty)
            {
                var sent = await _socket!.SendAsync(memory, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                memory = memory[sent..];
            }
        }
        catch (SocketException e)
        {
            throw new LuteClientException($"the Lute runner closed the connection: {e.Message}", e);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task ReadRepliesAsync()
    {
        var buffer = new byte[64 * 1024];
        var line = new ArrayBufferWriter<byte>();
        try
        {
            while (true)
            {
                var read = await _socket!.ReceiveAsync(buffer, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                var span = buffer.AsSpan(0, read);
                int newline;
                while ((newline = span.IndexOf((byte)'\n')) >= 0)
                {
                    line.Write(span[..newline]);
                    Deliver(line.WrittenSpan);
                    line.Clear();
                    span = span[(newline + 1)..];
                }

                line.Write(span);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _readerStopped = true;
        foreach (var pending in _pending.Values)
        {
            pending.TrySetException(new LuteClientException("the Lute runner closed the connection before replying"));
        }
    }

    private void Deliver(ReadOnlySpan<byte> frame)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(frame);
        }
        catch (JsonException)
        {
            return;
        }

        if (node is not JsonObject reply || reply["reply_to"] is not JsonValue idValue || !idValue.TryGetValue<long>(out var id)
            || !_pending.TryGetValue(id, out var pending))
        {
            return;
        }

        if (reply["ok"] is JsonValue ok && ok.TryGetValue<bool>(out var isOk) && isOk)
        {
            pending.TrySetResult(reply["contents"]?.DeepClone());
        }
        else
        {
            pending.TrySetException(new LuteClientException($"the runner refused the request: {reply["error"]?.GetValue<string>() ?? "no reason given"}"));
        }
    }

    private static EndPoint ParseAddress(string address)
    {
        var colon = address.LastIndexOf(':');
        var host = colon > 0 ? address[..colon] : string.Empty;
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            host = string.Empty; // an IPv6 address needs its brackets
        }

        if (host.Length == 0
            || !int.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > IPEndPoint.MaxPort)
        {
            throw new LuteClientException($"{AddressVariable} must be host:port or [address]:port, not '{address}'");
        }

        return IPAddress.TryParse(host, out var ip) ? new IPEndPoint(ip, port) : new DnsEndPoint(host, port);
    }

    private static int? ReadRank()
    {
        foreach (var name in RankVariables)
        {
            if (int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var rank))
            {
                return rank;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_socket is not null)
        {
            try
            {
                _socket.Shutdown(SocketShutdown.Send);
            }
            catch (SocketException)
            {
            }

            // The runner closes its end once it has read everything; then the reader ends.
            await _reading.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            await _stop.CancelAsync().ConfigureAwait(false);
            _socket.Dispose();
        }

        _stop.Dispose();
        _writeLock.Dispose();
    }
}
