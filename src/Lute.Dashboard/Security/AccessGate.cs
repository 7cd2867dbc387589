using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Lute.Dashboard.Security;

/// <summary>
/// The dashboard's door. With a token (the default), a request passes with the token as a bearer (Prometheus, curl),
/// in the dashboard's cookie, or once in the URL the program printed (<c>/?token=…</c>), which sets the cookie
/// (HttpOnly, SameSite=Strict) and sends the browser on without the token in its address bar. A post must also come
/// from the dashboard's own origin. Every answer carries the strict headers (<see cref="SecurityHeaders"/>).
/// </summary>
internal sealed class AccessGate(RequestDelegate next, DashboardOptions options)
{
    public const string CookieName = "lute_dashboard";
    private readonly byte[]? _token = options.Token is { } token ? Encoding.UTF8.GetBytes(token) : null;

    public async Task InvokeAsync(HttpContext http)
    {
        SecurityHeaders.Apply(http.Response);
        if (_token is not null)
        {
            var given = Bearer(http.Request) ?? http.Request.Cookies[CookieName];
            if (!Matches(given))
            {
                if (HttpMethods.IsGet(http.Request.Method) && Matches(http.Request.Query["token"].FirstOrDefault()))
                {
                    http.Response.Cookies.Append(CookieName, options.Token!, new CookieOptions
                    {
                        HttpOnly = true,
                        SameSite = SameSiteMode.Strict,
                        Secure = options.Tls,
                        Path = "/",
                    });
                    http.Response.Redirect(WithoutToken(http.Request));
                    return;
                }

                http.Response.StatusCode = StatusCodes.Status401Unauthorized;
                http.Response.ContentType = "text/plain; charset=utf-8";
                await http.Response.WriteAsync("This dashboard needs its access token: open the address 'lute dashboard' printed, or send 'Authorization: Bearer TOKEN'.\n", http.RequestAborted).ConfigureAwait(false);
                return;
            }
        }

        if (HttpMethods.IsPost(http.Request.Method) && !SameOrigin(http.Request))
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        await next(http).ConfigureAwait(false);
    }

    private bool Matches(string? given) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), _token);

    private static string? Bearer(HttpRequest request) =>
        request.Headers.Authorization.FirstOrDefault() is { } value && value.StartsWith("Bearer ", StringComparison.Ordinal) ? value[7..].Trim() : null;

    /// <summary>A post's Origin (when the browser sends one) names this dashboard's own scheme, host and port.</summary>
    private static bool SameOrigin(HttpRequest request)
    {
        var origin = request.Headers.Origin.FirstOrDefault();
        return origin is null
               || (Uri.TryCreate(origin, UriKind.Absolute, out var uri)
                   && string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
                   && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase));
    }

    private static string WithoutToken(HttpRequest request)
    {
        var rest = request.Query.Where(q => q.Key != "token").Select(q => new KeyValuePair<string, string?>(q.Key, q.Value.ToString()));
        return Pages.Html.Url(request.Path.HasValue ? request.Path.Value! : "/", rest);
    }
}
