using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Lute.Hooks.Support;
using Microsoft.Extensions.Configuration;

namespace Lute.Hooks.Webhook;

/// <summary>The settings of <c>webhook.post</c>.</summary>
internal sealed class WebhookOptions : IValidatableObject
{
    [Description("Where to post.")]
    [HttpUrl]
    public string? Url { get; set; }

    [Description("More places to post, each gets every event.")]
    [HttpUrl]
    public List<string> Urls { get; set; } = [];

    [Description("The key of the HMAC-SHA256 signature: { env: VARIABLE } or { file: PATH }.")]
    [Required]
    public SecretSource? Secret { get; set; }

    [Description("The header that carries the signature.")]
    [ConfigurationKeyName("signature_header")]
    [Required]
    [RegularExpression("^[A-Za-z0-9-]+$")]
    public string SignatureHeader { get; set; } = "X-Lute-Signature-256";

    [Description("Time limits and retries.")]
    public HttpDeliveryOptions Http { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrEmpty(Url) && Urls.Count == 0)
        {
            yield return new ValidationResult("is required (or 'urls': a list of URLs)", [nameof(Url)]);
        }
    }

    public IReadOnlyList<Uri> Destinations() =>
        [.. new[] { Url }.Concat(Urls).Where(u => !string.IsNullOrEmpty(u)).Select(u => new Uri(u!))];
}
