using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Lute.Contracts;
using Lute.Hooks.Support;
using Microsoft.Extensions.Logging;

namespace Lute.Hooks.Webhook;

/// <summary>
/// Posts each event it is bound to as JSON to the configured URLs, signed with HMAC-SHA256 over the exact body bytes
/// (header <c>X-Lute-Signature-256: sha256=HEX</c>) so the receiver can check who sent it.
/// </summary>
[LuteComponent("webhook.post", Description = "posts each bound event as signed JSON (HMAC-SHA256) to configured URLs", Settings = typeof(WebhookOptions))]
internal sealed class WebhookHook : IHook, IDisposable
{
    private readonly WebhookOptions _options;
    private readonly byte[] _key;
    private readonly HttpDelivery _http;

    public WebhookHook(PluginSettings settings, ILogger<WebhookHook> logger)
    {
        _options = HookSettings.Bind<WebhookOptions>(settings);
        _key = Encoding.UTF8.GetBytes(_options.Secret!.Read("secret").Value);
        _http = new HttpDelivery(_options.Http, logger, $"lute-webhook/{typeof(WebhookHook).Assembly.GetName().Version}");
    }

    public async ValueTask OnEventAsync(TaskEvent taskEvent, HookContext context, CancellationToken cancellationToken = default)
    {
        var delivery = Guid.NewGuid().ToString("N");
        var body = new JsonObject
        {
            ["event"] = taskEvent.Name,
            ["delivery"] = delivery,
            ["timestamp"] = taskEvent.Timestamp.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            ["run"] = EventJson.Run(context.Run),
            ["data"] = EventJson.Data(taskEvent),
        }.ToJsonString();
        var bytes = Encoding.UTF8.GetBytes(body);
        var signature = $"sha256={Convert.ToHexStringLower(HMACSHA256.HashData(_key, bytes))}";

        var failures = new List<string>();
        foreach (var url in _options.Destinations())
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            var request = new DeliveryRequest
            {
                Url = url,
                Content = content,
                RecordedBody = body,
                RecordedContentType = "application/json",
                Event = taskEvent.Name,
                Headers = new Dictionary<string, string>
                {
                    [_options.SignatureHeader] = signature,
                    ["X-Lute-Event"] = taskEvent.Name,
                    ["X-Lute-Delivery"] = delivery,
                },
            };
            try
            {
                await _http.SendAsync(request, context, cancellationToken).ConfigureAwait(false);
            }
            catch (DeliveryException e)
            {
                failures.Add(e.Message);
            }
        }

        if (failures.Count > 0)
        {
            throw new DeliveryException(string.Join("; ", failures));
        }
    }

    public void Dispose() => _http.Dispose();
}
