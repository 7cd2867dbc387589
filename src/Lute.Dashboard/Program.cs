using System.Net;
using System.Security.Cryptography.X509Certificates;
using Lute.Dashboard;
using Lute.Dashboard.Live;
using Lute.Dashboard.Metrics;
using Lute.Dashboard.Security;
using Lute.Host.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// lute-dashboard: started by `lute dashboard`, which gives it the configured store and the listening options.
DashboardOptions options;
try
{
    options = DashboardOptions.Parse(args);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync("lute dashboard: " + e.Message).ConfigureAwait(false);
    return 2;
}

if (!File.Exists(options.StorePath))
{
    await Console.Error.WriteLineAsync($"lute dashboard: there is no result store at {options.StorePath} yet: run a task first").ConfigureAwait(false);
    return 2;
}

SqliteRunRecorder store;
X509Certificate2? certificate = null;
try
{
    store = await SqliteRunRecorder.OpenAsync(options.StorePath, createMode: null).ConfigureAwait(false);
    if (options.Tls)
    {
        certificate = X509Certificate2.CreateFromPemFile(options.TlsCertificate!, options.TlsKey);
    }
}
catch (Exception e) when (e is StoreException or IOException or System.Security.Cryptography.CryptographicException or UnauthorizedAccessException)
{
    await Console.Error.WriteLineAsync("lute dashboard: " + e.Message).ConfigureAwait(false);
    return 2;
}

await using var context = new DashboardContext(store, options.StorePath);
using var changes = FileChanges.Of(options.StorePath);
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(o =>
{
    o.SingleLine = true;
    o.TimestampFormat = "yyyy-MM-dd HH:mm:ss ";
    o.UseUtcTimestamp = true;
});
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Logging.AddFilter("Lute.Dashboard", LogLevel.Information);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(options.Listen, listen =>
{
    if (certificate is not null)
    {
        listen.UseHttps(certificate);
    }
}));
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
builder.Services.AddSingleton(options);
builder.Services.AddSingleton(context);
builder.Services.AddSingleton(changes);
builder.Services.AddSingleton(new StoreMetrics(store));
// The antiforgery tokens' keys live in memory only: nothing is written under the user's home, and a restart simply
// asks for a fresh confirmation page.
builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
builder.Services.AddAntiforgery(o =>
{
    o.Cookie.Name = "lute_dashboard_form";
    o.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict;
    o.SuppressXFrameOptionsHeader = true; // every answer already says DENY
});
if (options.Token is null)
{
    // Without a token (loopback only), a page of another site must not reach the dashboard by renaming itself
    // 127.0.0.1 (DNS rebinding): only loopback host names are answered.
    builder.Services.Configure<HostFilteringOptions>(o => o.AllowedHosts = ["127.0.0.1", "localhost", "[::1]"]);
}

var app = builder.Build();
if (options.Token is null)
{
    app.UseHostFiltering();
}

app.UseMiddleware<AccessGate>(options);
app.UseAntiforgery();
Endpoints.Map(app);
await app.StartAsync().ConfigureAwait(false);

var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
await WarmUp.RunAsync(address, options, certificate, CancellationToken.None).ConfigureAwait(false);
var shown = address.Replace("://0.0.0.0:", "://" + Dns.GetHostName() + ":", StringComparison.Ordinal).Replace("://[::]:", "://" + Dns.GetHostName() + ":", StringComparison.Ordinal);
await Console.Out.WriteLineAsync($"lute dashboard: {shown}/{(options.Token is null ? string.Empty : "?token=" + options.Token)}").ConfigureAwait(false);
await Console.Out.WriteLineAsync($"lute dashboard: showing {options.StorePath}; Ctrl-C stops it{(options.Token is null ? string.Empty : "; the token is printed only here")}").ConfigureAwait(false);
await Console.Out.FlushAsync().ConfigureAwait(false);
await app.WaitForShutdownAsync().ConfigureAwait(false);
return 0;
