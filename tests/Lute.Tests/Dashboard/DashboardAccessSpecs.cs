using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Lute.Contracts;
using Lute.Tests.Integration;
using Lute.Tests.Support;

namespace Lute.Tests.Dashboard;

/// <summary>
/// Who gets into <c>lute dashboard</c>: the token it prints (bearer, cookie, or once in the address), loopback by
/// default, TLS or an explicit --insecure beyond it, host names checked without a token, and posts only with the
/// antiforgery token from the dashboard's own origin. A real server on 127.0.0.1 each time.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed partial class DashboardAccessSpecs
{
    [Fact]
    public async Task Without_its_token_every_address_answers_401_and_the_printed_address_logs_a_browser_in()
    {
        using var workspace = Workspace.Create();
        await StoreSeed.AddAsync(workspace.StorePath, 1, _ => (StoreSeed.Run("Index", 0), RunStatus.Completed, 1));
        await using var server = await DashboardServer.StartAsync(workspace);
        Assert.NotNull(server.Token);

        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = server.Address };
        foreach (var path in new[] { "/", "/plots", "/runs/1", "/metrics", "/events/runs", "/static/dashboard.js", "/?token=wrong" })
        {
            using var refused = await anonymous.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True(refused.StatusCode == HttpStatusCode.Unauthorized, $"{path}: {refused.StatusCode}");
        }

        using var login = await anonymous.GetAsync(new Uri("/runs/1?token=" + server.Token, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/runs/1", login.Headers.Location?.OriginalString);
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("lute_dashboard=" + server.Token + ";", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        using var withCookie = new HttpRequestMessage(HttpMethod.Get, "/runs/1");
        withCookie.Headers.Add("Cookie", "lute_dashboard=" + server.Token);
        using var page = await anonymous.SendAsync(withCookie);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Index", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Index", await server.GetTextAsync("/"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0.0.0.0:0", "", "--tls-cert")]
    [InlineData("0.0.0.0:0", "--no-token --insecure", "--no-token is for loopback only")]
    [InlineData("127.0.0.1:0", "--tls-cert only.pem", "--tls-cert and --tls-key go together")]
    [InlineData("somewhere", "", "is not ADDRESS:PORT")]
    public async Task Listening_options_that_would_expose_the_dashboard_are_refused_with_the_fix(string listen, string extra, string message)
    {
        using var workspace = Workspace.Create();
        await StoreSeed.AddAsync(workspace.StorePath, 1, _ => (StoreSeed.Run("Index", 0), RunStatus.Completed, 1));
        var (code, process) = await workspace.LuteAsync(["dashboard", "--listen", listen, .. extra.Split(' ', StringSplitOptions.RemoveEmptyEntries)]);
        using (process)
        {
            Assert.True(code == 2, process.Output);
            Assert.Contains(message, process.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Beyond_loopback_with_insecure_it_serves_and_still_needs_the_token()
    {
        using var workspace = Workspace.Create();
        await StoreSeed.AddAsync(workspace.StorePath, 1, _ => (StoreSeed.Run("Index", 0), RunStatus.Completed, 1));
        await using var server = await DashboardServer.StartAsync(workspace, "0.0.0.0:0", "--insecure");
        Assert.NotNull(server.Token);
        var local = new Uri($"http://127.0.0.1:{server.Address.Port}/");
        using var anonymous = new HttpClient { BaseAddress = local };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);
        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/");
        bearer.Headers.Authorization = new("Bearer", server.Token);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.SendAsync(bearer)).StatusCode);
    }

    [Fact]
    public async Task With_a_certificate_it_serves_https_only_and_its_cookie_is_secure()
    {
        using var workspace = Workspace.Create();
        await StoreSeed.AddAsync(workspace.StorePath, 1, _ => (StoreSeed.Run("Index", 0), RunStatus.Completed, 1));
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var certPath = workspace.Write("cert.pem", certificate.ExportCertificatePem());
        var keyPath = workspace.Write("key.pem", key.ExportPkcs8PrivateKeyPem());

        await using var server = await DashboardServer.StartAsync(workspace, "127.0.0.1:0", "--tls-cert", certPath, "--tls-key", keyPath);
        Assert.Equal("https", server.Address.Scheme);
        var thumbprint = certificate.GetCertHashString(HashAlgorithmName.SHA256);
        using var handler = new HttpClientHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.GetCertHashString(HashAlgorithmName.SHA256) == thumbprint,
        };
        using var https = new HttpClient(handler) { BaseAddress = server.Address };
        using var login = await https.GetAsync(new Uri("/?token=" + server.Token, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Contains("secure", Assert.Single(login.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);

        using var plain = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.Address.Port}/") };
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => plain.GetAsync(new Uri("/", UriKind.Relative)));
    }

    [Fact]
    public async Task Without_a_token_on_loopback_only_loopback_host_names_are_answered()
    {
        using var workspace = Workspace.Create();
        await StoreSeed.AddAsync(workspace.StorePath, 1, _ => (StoreSeed.Run("Index", 0), RunStatus.Completed, 1));
        await using var server = await DashboardServer.StartAsync(workspace, "127.0.0.1:0", "--no-token");
        Assert.Null(server.Token);
        Assert.Contains("Index", await server.GetTextAsync("/"), StringComparison.Ordinal);
        foreach (var (host, expected) in new[] { ("evil.example", HttpStatusCode.BadRequest), ("localhost", HttpStatusCode.OK), ("127.0.0.1", HttpStatusCode.OK) })
        {
            using var rebound = new HttpRequestMessage(HttpMethod.Get, "/");
            rebound.Headers.Host = $"{host}:{server.Address.Port}";
            using var answer = await server.Client.SendAsync(rebound);
            Assert.True(answer.StatusCode == expected, $"Host {host}: {answer.StatusCode}");
        }
    }

    [Fact]
    public async Task A_post_needs_the_confirmation_pages_antiforgery_token_and_the_dashboards_own_origin()
    {
        using var workspace = Workspace.Create();
        // A run that has not ended, of this host, whose recorded runner is a real process of this test: the
        // dashboard's cancel must reach it as SIGTERM.
        using var runner = ChildProcess.Start("sleep", ["300"], workspace.Root);
        await using (var store = await Lute.Host.Store.SqliteRunRecorder.OpenAsync(workspace.StorePath))
        {
            await store.StartedAsync(
                StoreSeed.Run("Index", 0, host: Environment.MachineName, runnerPid: runner.Id) with { StartedAt = DateTimeOffset.UtcNow },
                CancellationToken.None);
        }

        await using var server = await DashboardServer.StartAsync(workspace);
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies };
        using var browser = new HttpClient(handler) { BaseAddress = server.Address };
        browser.DefaultRequestHeaders.Authorization = new("Bearer", server.Token);

        using var noToken = await browser.PostAsync(new Uri("/runs/1/cancel", UriKind.Relative), new FormUrlEncodedContent([new("confirm", "yes")]));
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);

        var confirm = await (await browser.GetAsync(new Uri("/runs/1/cancel", UriKind.Relative))).Content.ReadAsStringAsync();
        var field = HiddenField().Match(confirm);
        Assert.True(field.Success, confirm);
        var form = new List<KeyValuePair<string, string>> { new(field.Groups["name"].Value, WebUtility.HtmlDecode(field.Groups["value"].Value)), new("confirm", "yes") };

        using var foreign = new HttpRequestMessage(HttpMethod.Post, "/runs/1/cancel") { Content = new FormUrlEncodedContent(form) };
        foreign.Headers.Add("Origin", "http://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.SendAsync(foreign)).StatusCode);

        using var own = new HttpRequestMessage(HttpMethod.Post, "/runs/1/cancel") { Content = new FormUrlEncodedContent(form) };
        own.Headers.Add("Origin", server.Address.GetLeftPart(UriPartial.Authority));
        using var answer = await browser.SendAsync(own);
        Assert.True(answer.StatusCode == HttpStatusCode.Redirect, await answer.Content.ReadAsStringAsync());
        Assert.Equal("/runs/1?asked=cancel", answer.Headers.Location?.OriginalString);
        Assert.Equal(128 + 15, await runner.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        await server.Process.WaitForLineAsync(l => l.Contains($"Asked the runner of run 1 (process {runner.Id}) to cancel its task", StringComparison.Ordinal), TimeSpan.FromSeconds(10));

        // The runner is gone now: the same post is refused, with the reason.
        using var again = new HttpRequestMessage(HttpMethod.Post, "/runs/1/cancel") { Content = new FormUrlEncodedContent(form) };
        using var refused = await browser.SendAsync(again);
        var body = await refused.Content.ReadAsStringAsync();
        Assert.True(refused.StatusCode == HttpStatusCode.Conflict, body);
        Assert.Contains("is gone", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_store_the_dashboard_names_the_missing_store()
    {
        using var workspace = Workspace.Create();
        var (code, process) = await workspace.LuteAsync("dashboard", "--listen", "127.0.0.1:0");
        using (process)
        {
            Assert.True(code == 2, process.Output);
            Assert.Contains("there is no result store at " + workspace.StorePath, process.Output, StringComparison.Ordinal);
        }
    }

    [GeneratedRegex("""<input type="hidden" name="(?<name>__RequestVerificationToken|[^"]+)" value="(?<value>[^"]+)">""")]
    private static partial Regex HiddenField();
}
