using System.Globalization;
using Lute.Host.Running;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Lute.Dashboard.Pages;

/// <summary>
/// The stop, continue and cancel buttons: each opens a page that asks to confirm, whose form posts (with the
/// antiforgery token; a post without it, or from another origin, is refused) to the same address. The dashboard then
/// asks the runner exactly as <c>lute stop|continue|cancel</c> does, logs who asked, and the runner records the change.
/// </summary>
internal static partial class ActionPages
{
    public static async Task<IResult> ConfirmAsync(
        long id, string verb, HttpContext http, DashboardContext context, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        if (!RunnerSignals.Verbs.ContainsKey(verb))
        {
            return Results.NotFound();
        }

        var run = await context.Runs.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            return RunPage.NotFound(context, id);
        }

        var tokens = antiforgery.GetAndStoreTokens(http);
        var number = run.Id.ToString(CultureInfo.InvariantCulture);
        var refusal = RunnerSignals.Refusal(run, verb);
        var body = Layout.Page($"{verb} run {number}?", context, html =>
        {
            html.Raw("<h1>").Raw(Title(verb)).Raw(" run ").Text(run.Id).Raw(" (<span class=\"task\">").Text(run.DisplayName).Raw("</span>)?</h1>\n");
            if (refusal is not null)
            {
                html.Raw("<p class=\"problem\" id=\"refusal\">").Text(refusal).Raw("</p>\n");
            }
            else
            {
                html.Raw("<p>").Raw(Explanation(verb)).Raw(" Runner: process ").Text(run.RunnerPid).Raw(" on ").Text(run.Host).Raw(".</p>\n")
                    .Raw("<form method=\"post\"").Attribute("action", "/runs/" + number + "/" + verb).Raw(">")
                    .Raw("<input type=\"hidden\"").Attribute("name", tokens.FormFieldName).Attribute("value", tokens.RequestToken).Raw(">")
                    .Raw("<input type=\"hidden\" name=\"confirm\" value=\"yes\">")
                    .Raw("<button type=\"submit\" id=\"confirm\">Yes, ").Raw(verb).Raw(" run ").Text(run.Id).Raw("</button> ")
                    .Raw("<a").Link("/runs/" + number).Raw(">No, back to the run</a></form>\n");
            }
        });
        return Results.Content(body, "text/html; charset=utf-8");
    }

    public static async Task<IResult> ActAsync(
        long id, string verb, string confirm, HttpContext http, DashboardContext context, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (!RunnerSignals.Verbs.ContainsKey(verb) || !string.Equals(confirm, "yes", StringComparison.Ordinal))
        {
            return Results.BadRequest();
        }

        var run = await context.Runs.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            return RunPage.NotFound(context, id);
        }

        var logger = loggers.CreateLogger("Lute.Dashboard.Actions");
        var who = http.Connection.RemoteIpAddress?.ToString() ?? "?";
        if (RunnerSignals.Send(run, verb) is { } refusal)
        {
            LogRefused(logger, verb, run.Id, who, refusal);
            var body = Layout.Page($"Cannot {verb} run {run.Id.ToString(CultureInfo.InvariantCulture)}", context, html =>
                html.Raw("<p class=\"problem\" id=\"refusal\">").Text(refusal).Raw("</p>\n<p><a")
                    .Link("/runs/" + run.Id.ToString(CultureInfo.InvariantCulture)).Raw(">Back to the run</a></p>\n"));
            return Results.Content(body, "text/html; charset=utf-8", statusCode: StatusCodes.Status409Conflict);
        }

        LogAsked(logger, verb, run.Id, run.RunnerPid, who);
        return Results.Redirect(Html.Url("/runs/" + run.Id.ToString(CultureInfo.InvariantCulture), [new("asked", verb)]), permanent: false, preserveMethod: false);
    }

    private static string Title(string verb) => verb switch
    {
        "stop" => "Stop",
        "continue" => "Continue",
        _ => "Cancel",
    };

    private static string Explanation(string verb) => verb switch
    {
        "stop" => "The runner stops the task's processes (SIGSTOP) until it is continued; its time limit keeps running.",
        "continue" => "The runner continues the task's stopped processes (SIGCONT).",
        _ => "The runner sends the task its cancel signal, then SIGKILL after the grace period, and records the run CANCELLED.",
    };

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Asked the runner of run {RunId} (process {Pid}) to {Verb} its task, for {Client}")]
    private static partial void LogAsked(ILogger logger, string verb, long runId, int pid, string client);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Did not {Verb} run {RunId} for {Client}: {Refusal}")]
    private static partial void LogRefused(ILogger logger, string verb, long runId, string client, string refusal);
}
