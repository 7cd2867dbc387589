using System.ComponentModel.DataAnnotations;
using Lute.Hooks.Support;
using Microsoft.Extensions.Configuration;

namespace Lute.Hooks.Webhook;

/// <summary>The settings of <c>webhook.post</c>.</summary>
internal sealed class WebhookOptions : IValidatableObject
{
    /// <summary>Where to post.</summary>
    [HttpUrl]
    public string? Url { get; set; }

    /// <summary>More places to post, each gets every event.</summary>
    [HttpUrl]
    public List<string> Urls { get; set; } = [];

    /// <summary>The key of the HMAC-SHA256 signature: <c>{ env: VARIABLE }</c> or <c>{ file: PATH }</c>.</summary>
    [Required]
    public SecretSource? Secret { get; set; }

    /// <summary>The header that carries the signature.</summary>
    [ConfigurationKeyName("signature_header")]
    [Required]
    [RegularExpression("^[A-Za-z0-9-]+$")]
    public string SignatureHeader { get; set; } = "X-Lute-Signature-256";

    /// <summary>Time limits and retries.</summary>
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
