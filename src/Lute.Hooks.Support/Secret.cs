using System.ComponentModel;
using System.Globalization;

namespace Lute.Hooks.Support;

/// <summary>
/// Where a secret (a password, a token) comes from: an environment variable (<c>{ env: NAME }</c>) or a file
/// (<c>{ file: /run/secrets/NAME }</c>). plugins.yaml never holds the secret itself; a plain value is refused.
/// </summary>
[TypeConverter(typeof(SecretSourceConverter))]
public sealed class SecretSource
{
    /// <summary>The environment variable that holds the secret.</summary>
    public string? Env { get; set; }

    /// <summary>The file that holds the secret (a trailing line break is dropped).</summary>
    public string? File { get; set; }

    /// <summary>Reads the secret.</summary>
    /// <param name="key">The setting's key, for messages.</param>
    /// <returns>The secret.</returns>
    /// <exception cref="HookSettingsException">Neither or both sources are named, or the source is empty or unreadable.</exception>
    public Secret Read(string key)
    {
        if ((Env is null) == (File is null))
        {
            throw new HookSettingsException(key, "must name exactly one source of the secret: { env: VARIABLE } or { file: PATH }");
        }

        if (Env is not null)
        {
            var value = System.Environment.GetEnvironmentVariable(Env);
            return string.IsNullOrEmpty(value)
                ? throw new HookSettingsException(key, $"names the environment variable {Env}, which is not set or empty")
                : new Secret(value);
        }

        try
        {
            var value = System.IO.File.ReadAllText(File!).TrimEnd('\r', '\n');
            return value.Length == 0
                ? throw new HookSettingsException(key, $"names the file {File}, which is empty")
                : new Secret(value);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HookSettingsException(key, $"names the file {File}, which cannot be read: {e.Message}");
        }
    }
}

/// <summary>A secret read from its source. It never shows itself: <see cref="ToString"/> gives <c>***</c>.</summary>
public sealed class Secret
{
    internal Secret(string value) => Value = value;

    /// <summary>The secret's value. Use it in a request header; never log it or put it in a body that is recorded.</summary>
    public string Value { get; }

    /// <inheritdoc />
    public override string ToString() => "***";
}

/// <summary>Refuses a secret written as a plain value in plugins.yaml.</summary>
internal sealed class SecretSourceConverter : TypeConverter
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) =>
        sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is string
            ? throw new FormatException("must name where the secret is kept ({ env: VARIABLE } or { file: PATH }), never hold the secret itself")
            : base.ConvertFrom(context, culture, value);
}
