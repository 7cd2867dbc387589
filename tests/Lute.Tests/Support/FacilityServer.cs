using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lute.Tests.Support;

/// <summary>A request the server received.</summary>
internal sealed record ReceivedRequest(
    string Method,
    string Path,
    string Query,
    IReadOnlyDictionary<string, string> Headers,
    byte[] Body,
    IReadOnlyDictionary<string, string> FormFields,
    IReadOnlyDictionary<string, (string FileName, byte[] Content)> FormFiles)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public JsonElement Json
    {
        get
        {
            using var document = JsonDocument.Parse(Body);
            return document.RootElement.Clone();
        }
    }

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>How the server answers: a status and body, or no answer at all until the client gives up.</summary>
internal sealed record Reply(int Status = 200, string Body = "{}", string ContentType = "application/json", bool Hang = false)
{
    public static Reply Json(string body) => new(200, body);

    public static Reply Error(int status = 500) => new(status, "{\"error\": \"test failure\"}");

    public static Reply NoAnswer { get; } = new(Hang: true);
}

/// <summary>
/// A real HTTP server (Kestrel) on 127.0.0.1 standing in for a facility service: it records every request and answers
/// as the test scripts it (per path: a sequence of replies, the last one repeating). Tests wait on what it received
/// (events, not sleeps).
/// </summary>
internal sealed class FacilityServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly List<ReceivedRequest> _requests = [];
    private readonly Dictionary<string, Queue<Reply>> _replies = new(StringComparer.Ordinal);
    private readonly List<(Func<IReadOnlyList<ReceivedRequest>, bool> Done, TaskCompletionSource Seen)> _waiters = [];
    private readonly CancellationTokenSource _stopping = new();

    private FacilityServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The server's base address, with a trailing slash.</summary>
    public Uri Url { get; }

    /// <summary>host:port, as LUTE's environment variables give addresses.</summary>
    public string HostAndPort => $"{Url.Host}:{Url.Port}";

    public IReadOnlyList<ReceivedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    public static async Task<FacilityServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FacilityServer? server = null;
        app.Run(context => server!.HandleAsync(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new FacilityServer(app, new Uri(address.TrimEnd('/') + "/"));
        return server;
    }

    /// <summary>Answers requests to <paramref name="path"/> with these replies in turn; the last one repeats.</summary>
    public void Answer(string path, params Reply[] replies)
    {
        lock (_gate)
        {
            _replies[path] = new Queue<Reply>(replies);
        }
    }

    /// <summary>Waits until what the server received satisfies <paramref name="done"/>; fails after <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<ReceivedRequest>> WaitForAsync(Func<IReadOnlyList<ReceivedRequest>, bool> done, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (done(_requests))
            {
                return [.. _requests];
            }

            _waiters.Add((done, seen));
        }

        try
        {
            await seen.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the server did not receive what was expected within {timeout}; it received:\n{string.Join('\n', Requests.Select(r => $"{r.Method} {r.Path}{r.Query} {r.Text}"))}");
        }

        return Requests;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        request.EnableBuffering();
        using var buffer = new MemoryStream();
        var complete = true;
        try
        {
            await request.Body.CopyToAsync(buffer, context.RequestAborted);
            request.Body.Position = 0;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or BadHttpRequestException)
        {
            // The client gave up while sending: the request still arrived and is recorded with what was read.
            complete = false;
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var files = new Dictionary<string, (string, byte[])>(StringComparer.Ordinal);
        if (complete && request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(context.RequestAborted);
            foreach (var (key, value) in form)
            {
                fields[key] = value.ToString();
            }

            foreach (var file in form.Files)
            {
                using var content = new MemoryStream();
                await file.CopyToAsync(content, context.RequestAborted);
                files[file.Name] = (file.FileName, content.ToArray());
            }
        }

        var received = new ReceivedRequest(
            request.Method,
            request.Path.Value ?? "/",
            request.QueryString.Value ?? string.Empty,
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            buffer.ToArray(),
            fields,
            files);
        Reply reply;
        List<TaskCompletionSource> satisfied = [];
        lock (_gate)
        {
            _requests.Add(received);
            reply = _replies.TryGetValue(received.Path, out var queue) && queue.Count > 0
                ? (queue.Count > 1 ? queue.Dequeue() : queue.Peek())
                : Reply.Json("{\"success\": true}");
            foreach (var waiter in _waiters.Where(w => w.Done(_requests)).ToList())
            {
                _waiters.Remove(waiter);
                satisfied.Add(waiter.Seen);
            }
        }

        foreach (var seen in satisfied)
        {
            seen.TrySetResult();
        }

        if (reply.Hang)
        {
            // No answer: the client's own time limit ends the request.
            using var both = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            await Task.Delay(Timeout.Infinite, both.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }

        context.Response.StatusCode = reply.Status;
        context.Response.ContentType = reply.ContentType;
        await context.Response.WriteAsync(reply.Body, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }
}
