using System.ComponentModel.DataAnnotations;

namespace Lute.Hooks.Support;

/// <summary>Validates that a setting is an absolute <c>http</c> or <c>https</c> URL (an empty value passes; add <see cref="RequiredAttribute"/> to require one).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = false)]
public sealed class HttpUrlAttribute : ValidationAttribute
{
    /// <summary>Creates the attribute.</summary>
    public HttpUrlAttribute()
        : base("must be an absolute http or https URL")
    {
    }

    /// <summary>True for an absolute http or https URL without credentials in it.</summary>
    /// <param name="text">The text.</param>
    public static bool IsValidUrl(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && string.IsNullOrEmpty(uri.UserInfo);

    /// <inheritdoc />
    public override bool IsValid(object? value) => value switch
    {
        null => true,
        string text => text.Length == 0 || IsValidUrl(text),
        IEnumerable<string> texts => texts.All(IsValidUrl),
        _ => false,
    };
}
