using System.Net;
using System.Threading.Channels;
using Lute.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenQA.Selenium;

namespace Lute.Tests.Dashboard;

/// <summary>
/// What the dashboard relies on from a real browser, proved against headless Chromium: a strict
/// Content-Security-Policy is enforced, an external script receives server-sent events live, and a form posts.
/// </summary>
public sealed class BrowserSpecs
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_external_script_shows_server_sent_events_as_they_arrive_without_a_reload()
    {
        await using var server = await PageServer.StartAsync();
        using var browser = Browser.Start();

        browser.Open(new Uri(server.Url, "/"));
        Assert.Equal("Runs of this test", browser.Driver.FindElement(By.Id("heading")).Text);
        browser.WaitUntil(d => d.FindElement(By.TagName("body")).GetAttribute("data-stream") == "open", Timeout, "the event stream opened");
        await server.StreamConnected.WaitAsync(Timeout);
        var page = browser.Driver.Url;

        await server.PushAsync("run 1 started");
        browser.WaitUntil(d => d.FindElements(By.CssSelector("#events li")).Count == 1, Timeout, "the first event as a list item");
        await server.PushAsync("run 1 <b>finished</b>");
        var items = browser.WaitUntil(
            d => d.FindElements(By.CssSelector("#events li")) is { Count: 2 } found ? found : null,
            Timeout,
            "both events as list items");

        Assert.Equal(["run 1 started", "run 1 <b>finished</b>"], items.Select(item => item.Text));
        Assert.Empty(browser.Driver.FindElements(By.CssSelector("#events b")));
        Assert.Equal(page, browser.Driver.Url);
        Assert.Equal(1, server.PageLoads);
        Assert.Empty(browser.ConsoleErrors());

        var screenshot = Path.Combine(Path.GetTempPath(), $"lute-browser-{Guid.NewGuid():N}.png");
        try
        {
            browser.Screenshot(screenshot);
            var bytes = await File.ReadAllBytesAsync(screenshot);
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes.Take(8));
        }
        finally
        {
            File.Delete(screenshot);
        }
    }

    [Fact]
    public async Task The_content_security_policy_blocks_inline_script_and_inline_handlers()
    {
        await using var server = await PageServer.StartAsync();
        using var browser = Browser.Start();

        browser.Open(new Uri(server.Url, "/inline"));
        // The external script runs (so scripts are on), and the page is settled once it has.
        browser.WaitUntil(d => d.FindElement(By.TagName("body")).GetAttribute("data-app") == "ran", Timeout, "the external script ran");
        browser.WaitUntil(d => ((IJavaScriptExecutor)d).ExecuteScript("return document.readyState") as string == "complete", Timeout, "the page loaded completely");

        Assert.Equal("Runs of this test", browser.Driver.Title);
        var errors = browser.ConsoleErrors();
        Assert.Contains(errors, e => e.Contains("Content Security Policy", StringComparison.Ordinal) && e.Contains("inline script", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Content Security Policy", StringComparison.Ordinal) && e.Contains("event handler", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_form_posts_to_the_server_and_the_browser_shows_the_answer()
    {
        await using var server = await PageServer.StartAsync();
        using var browser = Browser.Start();

        browser.Open(new Uri(server.Url, "/form"));
        browser.Driver.FindElement(By.Id("send")).Click();

        var answer = browser.WaitUntil(d => d.FindElements(By.Id("answer")) is { Count: 1 } found ? found[0] : null, Timeout, "the answer page");
        Assert.Equal("Cancelled run 7", answer.Text);
        Assert.Equal(new Uri(server.Url, "/act"), new Uri(browser.Driver.Url));
        var post = Assert.Single(server.Posts);
        Assert.Equal("7", post["run"]);
        Assert.Equal("cancel", post["action"]);
        Assert.Empty(browser.ConsoleErrors());
    }
}

/// <summary>
/// A small page server on 127.0.0.1 for the browser tests. Every answer carries a strict Content-Security-Policy;
/// /events is a server-sent event stream fed by <see cref="PushAsync"/>, and POSTs to /act are recorded.
/// </summary>
internal sealed class PageServer : IAsyncDisposable
{
    private const string Policy = "default-src 'none'; script-src 'self'; connect-src 'self'";

    private const string Script = """
        'use strict';
        document.body.dataset.app = 'ran';
        const list = document.getElementById('events');
        if (list) {
          const source = new EventSource('/events');
          source.onopen = () => { document.body.dataset.stream = 'open'; };
          source.onmessage = (event) => {
            const item = document.createElement('li');
            item.textContent = event.data;
            list.appendChild(item);
          };
        }
        """;

    private const string Page = """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>Runs of this test</title></head>
        <body>
        <h1 id="heading">Runs of this test</h1>
        <ul id="events"></ul>
        <script src="/app.js"></script>
        </body></html>
        """;

    private const string InlinePage = """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>Runs of this test</title></head>
        <body>
        <h1 id="heading">Runs of this test</h1>
        <script>document.title = 'inline ran';</script>
        <img src="x" alt="" onerror="document.title = 'onerror ran'">
        <script src="/app.js"></script>
        </body></html>
        """;

    private const string FormPage = """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>Run 7</title></head>
        <body>
        <form method="post" action="/act">
        <input type="hidden" name="run" value="7">
        <button id="send" type="submit" name="action" value="cancel">Cancel run 7</button>
        </form>
        </body></html>
        """;

    private readonly WebApplication _app;
    private readonly Channel<string> _events = Channel.CreateUnbounded<string>();
    private readonly TaskCompletionSource _streamConnected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly List<IReadOnlyDictionary<string, string>> _posts = [];
    private int _pageLoads;

    private PageServer(WebApplication app) => _app = app;

    /// <summary>The server's base address.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>Completes when a client has opened /events.</summary>
    public Task StreamConnected => _streamConnected.Task;

    /// <summary>How often / was served.</summary>
    public int PageLoads => Volatile.Read(ref _pageLoads);

    /// <summary>The form fields of each POST to /act, in order.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Posts
    {
        get
        {
            lock (_gate)
            {
                return [.. _posts];
            }
        }
    }

    public static async Task<PageServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new PageServer(app);
        app.Use(async (context, next) =>
        {
            context.Response.Headers.ContentSecurityPolicy = Policy;
            context.Response.Headers.CacheControl = "no-store";
            await next(context);
        });
        app.MapGet("/", () =>
        {
            Interlocked.Increment(ref server._pageLoads);
            return Results.Content(Page, "text/html; charset=utf-8");
        });
        app.MapGet("/inline", () => Results.Content(InlinePage, "text/html; charset=utf-8"));
        app.MapGet("/form", () => Results.Content(FormPage, "text/html; charset=utf-8"));
        app.MapGet("/app.js", () => Results.Content(Script, "text/javascript; charset=utf-8"));
        app.MapGet("/favicon.ico", () => Results.NoContent());
        app.MapGet("/events", (HttpContext context) =>
        {
            server._streamConnected.TrySetResult();
            return TypedResults.ServerSentEvents(server.ReadEventsAsync(context.Response, context.RequestAborted));
        });
        app.MapPost("/act", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var fields = form.ToDictionary(field => field.Key, field => field.Value.ToString(), StringComparer.Ordinal);
            lock (server._gate)
            {
                server._posts.Add(fields);
            }

            var action = WebUtility.HtmlEncode(fields.GetValueOrDefault("action", string.Empty));
            var run = WebUtility.HtmlEncode(fields.GetValueOrDefault("run", string.Empty));
            var verb = action == "cancel" ? "Cancelled" : action;
            return Results.Content(
                $"<!doctype html><html><head><meta charset=\"utf-8\"><title>Done</title></head><body><p id=\"answer\">{verb} run {run}</p></body></html>",
                "text/html; charset=utf-8");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    /// <summary>Sends one event to the open /events stream.</summary>
    public async Task PushAsync(string data) => await _events.Writer.WriteAsync(data);

    public async ValueTask DisposeAsync()
    {
        _events.Writer.TryComplete();
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private async IAsyncEnumerable<string> ReadEventsAsync(HttpResponse response, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken aborted)
    {
        // The result has set the event-stream headers by now; flushing sends them (StartAsync alone would only queue
        // them), so the browser's EventSource reports the stream open before the first event instead of waiting for it.
        await response.Body.FlushAsync(aborted);
        using var both = CancellationTokenSource.CreateLinkedTokenSource(aborted, _stopping.Token);
        IAsyncEnumerator<string> reader = _events.Reader.ReadAllAsync(both.Token).GetAsyncEnumerator(both.Token);
        await using (reader)
        {
            while (true)
            {
                bool next;
                try
                {
                    next = await reader.MoveNextAsync();
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }

                if (!next)
                {
                    yield break;
                }

                yield return reader.Current;
            }
        }
    }
}
