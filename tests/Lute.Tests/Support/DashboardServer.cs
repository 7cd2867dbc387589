using System.Net.Http.Headers;

namespace Lute.Tests.Support;

/// <summary>
/// A real <c>lute dashboard</c> of a workspace (the command line starting its own server program) on a free loopback
/// port; the address and the token are read from the line it prints. Disposing sends SIGTERM to lute, which passes
/// it on, and waits for both to end.
/// </summary>
internal sealed class DashboardServer : IAsyncDisposable
{
    private DashboardServer(ChildProcess process, Uri address, string? token)
    {
        Process = process;
        Address = address;
        Token = token;
        Client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public ChildProcess Process { get; }

    /// <summary>The server's root, <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri Address { get; }

    /// <summary>The access token it printed, or null with <c>--no-token</c>.</summary>
    public string? Token { get; }

    /// <summary>A client that sends the token; it follows no redirect and keeps no cookie.</summary>
    public HttpClient Client { get; }

    /// <summary>The address that logs a browser in (sets the cookie) and opens <paramref name="path"/>.</summary>
    public Uri LoginAddress(string path = "/") =>
        new(Address, Token is null ? path : path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "token=" + Token);

    public static async Task<DashboardServer> StartAsync(Workspace workspace, string listen = "127.0.0.1:0", params string[] extra)
    {
        var process = workspace.Start(["dashboard", "--listen", listen, .. extra]);
        try
        {
            var line = await process.WaitForLineAsync(l => l.StartsWith("lute dashboard: http", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            var url = new Uri(line["lute dashboard: ".Length..].Trim());
            var token = url.Query.StartsWith("?token=", StringComparison.Ordinal) ? url.Query["?token=".Length..] : null;
            return new DashboardServer(process, new Uri(url.GetLeftPart(UriPartial.Authority) + "/"), token);
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    public async Task<string> GetTextAsync(string path)
    {
        using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode}\n{body}\n{Process.Output}");
        return body;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        try
        {
            if (!Process.HasExited)
            {
                Process.Signal(15);
                await Process.WaitForExitAsync(TimeSpan.FromSeconds(30));
            }
        }
        finally
        {
            Process.Dispose();
        }
    }
}
