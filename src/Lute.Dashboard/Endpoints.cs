using System.Globalization;
using System.Reflection;
using Lute.Dashboard.Live;
using Lute.Dashboard.Metrics;
using Lute.Dashboard.Pages;
using Lute.Dashboard.Security;
using Lute.Host.Running;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lute.Dashboard;

/// <summary>The dashboard's addresses.</summary>
internal static class Endpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/", (HttpRequest request, DashboardContext context, CancellationToken ct) => RunsPage.RenderAsync(request, context, ct));
        app.MapGet("/plots", (HttpRequest request, DashboardContext context, CancellationToken ct) => PlotsPage.RenderAsync(request, context, ct));
        app.MapGet("/runs/{id:long}", (long id, HttpRequest request, DashboardContext context, CancellationToken ct) => RunPage.RenderAsync(id, request, context, ct));
        app.MapGet("/runs/{id:long}/report", ReportAsync);
        foreach (var verb in RunnerSignals.Verbs.Keys)
        {
            app.MapGet("/runs/{id:long}/" + verb, (long id, HttpContext http, DashboardContext context, IAntiforgery antiforgery, CancellationToken ct) =>
                ActionPages.ConfirmAsync(id, verb, http, context, antiforgery, ct));
            app.MapPost("/runs/{id:long}/" + verb, (long id, [FromForm] string confirm, HttpContext http, DashboardContext context, ILoggerFactory loggers, CancellationToken ct) =>
                ActionPages.ActAsync(id, verb, confirm, http, context, loggers, ct));
        }

        app.MapGet("/events/runs", (HttpRequest request, DashboardContext context, FileChanges store, IHostApplicationLifetime life, CancellationToken ct) =>
            TypedResults.ServerSentEvents(LiveStreams.ListAsync(request, context, store, Until(ct, life))));
        app.MapGet("/events/runs/{id:long}", (long id, HttpRequest request, DashboardContext context, FileChanges store, IHostApplicationLifetime life, CancellationToken ct) =>
            TypedResults.ServerSentEvents(LiveStreams.RunAsync(id, request, context, store, Until(ct, life))));
        app.MapGet("/metrics", async (HttpResponse response, StoreMetrics metrics, CancellationToken ct) =>
        {
            response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await metrics.WriteAsync(response.Body, ct).ConfigureAwait(false);
        });
        app.MapGet("/static/dashboard.js", () => Asset("dashboard.js"));
        app.MapGet("/static/dashboard.css", () => Asset("dashboard.css"));
        app.MapGet("/static/icon.svg", () => Asset("icon.svg"));
        app.MapGet("/favicon.ico", () => Results.Redirect("/static/icon.svg"));
    }

    /// <summary>A stream ends when its browser goes or when the dashboard stops (it would otherwise hold the shutdown).</summary>
    private static CancellationToken Until(CancellationToken request, IHostApplicationLifetime life) =>
        CancellationTokenSource.CreateLinkedTokenSource(request, life.ApplicationStopping).Token;

    private static async Task<IResult> ReportAsync(long id, HttpResponse response, DashboardContext context, CancellationToken cancellationToken)
    {
        var run = await context.Runs.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (run?.ReportPath is not { } path || !File.Exists(path))
        {
            return Results.NotFound();
        }

        // Only the file the store names for this run; the report is the task's content, so it runs sandboxed.
        response.Headers.ContentSecurityPolicy = SecurityHeaders.ReportPolicy;
        return Results.File(path, "text/html; charset=utf-8", fileDownloadName: null);
    }

    private static IResult Asset(string name)
    {
        var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("lute.dashboard." + name);
        if (stream is null)
        {
            return Results.NotFound();
        }

        var type = Path.GetExtension(name) switch
        {
            ".js" => "text/javascript; charset=utf-8",
            ".svg" => "image/svg+xml",
            _ => "text/css; charset=utf-8",
        };
        return Results.Stream(stream, type);
    }
}
