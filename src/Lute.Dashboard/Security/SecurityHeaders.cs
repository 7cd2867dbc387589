using Microsoft.AspNetCore.Http;

namespace Lute.Dashboard.Security;

/// <summary>
/// The headers of every answer. The content security policy lets a page run only the dashboard's own script and
/// style, connect only to itself and be framed by no one, so even markup that slipped through could not run; a run's
/// HTML report is served sandboxed (no script at all, no same-origin access).
/// </summary>
internal static class SecurityHeaders
{
    public const string Policy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>A run's report: its own inline style and embedded images, nothing else, in a sandbox.</summary>
    public const string ReportPolicy = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'";

    public static void Apply(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        // same-origin, not no-referrer: under no-referrer the browser sends "Origin: null" with the forms' posts,
        // and the origin check needs the real one.
        headers["Referrer-Policy"] = "same-origin";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        // What antiforgery asks of the pages that carry its token; the same for every page.
        headers.CacheControl = "no-cache, no-store";
        headers.Pragma = "no-cache";
    }
}
