using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Lute.Contracts;
using Lute.Hooks.Support;
using Microsoft.Extensions.Logging;

namespace MyFacility.Hooks;

/// <summary>
/// Posts every event it is bound to as JSON to the facility's service (<c>POST URL/events</c>), and records in the
/// run's summary that it posted the outcome. A post that cannot be delivered (after the client's retries) is
/// recorded with the run and the exception tells lute, which logs it and goes on, or fails the run when the binding
/// says <c>critical: true</c>.
/// </summary>
[LuteComponent("myfacility.notify", Description = "posts run events to MyFacility's run service")]
public sealed class NotifyHook : IHook, IDisposable
{
    private readonly NotifyOptions _options;
    private readonly Uri _events;
    private readonly string? _authorization;
    private readonly HttpDelivery _http;

    /// <summary>Creates the hook for one run. lute passes the binding's settings over the plugin's.</summary>
    /// <param name="settings">The settings from plugins.yaml.</param>
    /// <param name="logger">Where retries and failures are logged.</param>
    public NotifyHook(PluginSettings settings, ILogger<NotifyHook> logger)
    {
        _options = HookSettings.Bind<NotifyOptions>(settings);
        _events = new Uri(new Uri(_options.Url!.TrimEnd('/') + "/"), "events");
        _authorization = _options.Token is { } token ? "Bearer " + token.Read("token").Value : null;
        _http = new HttpDelivery(_options.Http, logger, "myfacility-hooks");
    }

    /// <inheritdoc />
    public async ValueTask OnEventAsync(TaskEvent taskEvent, HookContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(taskEvent);
        ArgumentNullException.ThrowIfNull(context);
        var body = new JsonObject
        {
            ["event"] = taskEvent.Name,
            ["beamline"] = _options.Beamline,
            ["run"] = EventJson.Run(context.Run),
            ["data"] = EventJson.Data(taskEvent),
        }.ToJsonString();
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        await _http.SendAsync(
            new DeliveryRequest
            {
                Url = _events,
                Content = content,
                RecordedBody = body,
                RecordedContentType = "application/json",
                Headers = _authorization is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["Authorization"] = _authorization },
                Event = taskEvent.Name,
            },
            context,
            cancellationToken).ConfigureAwait(false);

        if (taskEvent is RunEndedEvent)
        {
            context.Control.AddSummary(_options.SummaryKey, "yes");
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
