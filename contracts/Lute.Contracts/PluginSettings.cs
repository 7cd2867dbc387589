using System.Collections.ObjectModel;
using System.Globalization;

namespace Lute.Contracts;

/// <summary>
/// The settings that plugins.yaml gives a plugin or a hook, flattened to text keys (nested maps are joined with
/// <c>:</c>, list items are indexed: <c>retry:0</c>). Values are kept as written: a string is never coerced.
/// A component receives its settings by taking a <see cref="PluginSettings"/> parameter in its constructor.
/// </summary>
public sealed class PluginSettings
{
    /// <summary>Settings with no entries.</summary>
    public static PluginSettings Empty { get; } = new(new Dictionary<string, string>());

    /// <summary>Creates settings from flattened key/value pairs.</summary>
    /// <param name="values">The flattened settings; keys are compared without regard to case.</param>
    public PluginSettings(IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        Values = new ReadOnlyDictionary<string, string>(
            new Dictionary<string, string>(values, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>All settings.</summary>
    public IReadOnlyDictionary<string, string> Values { get; }

    /// <summary>The value of a setting, or <paramref name="fallback"/> when it is absent.</summary>
    /// <param name="key">The flattened key.</param>
    /// <param name="fallback">What to return when the key is absent.</param>
    public string? Get(string key, string? fallback = null) =>
        Values.TryGetValue(key, out var value) ? value : fallback;

    /// <summary>A boolean setting (<c>true</c>/<c>false</c>, <c>yes</c>/<c>no</c>, <c>1</c>/<c>0</c>).</summary>
    /// <param name="key">The flattened key.</param>
    /// <param name="fallback">What to return when the key is absent.</param>
    /// <exception cref="FormatException">The value is not a boolean.</exception>
    public bool GetBoolean(string key, bool fallback)
    {
        var text = Get(key);
        if (text is null)
        {
            return fallback;
        }

        return text.Trim().ToLowerInvariant() switch
        {
            "true" or "yes" or "on" or "1" => true,
            "false" or "no" or "off" or "0" => false,
            _ => throw new FormatException($"setting '{key}' must be true or false, not '{text}'"),
        };
    }

    /// <summary>An integer setting.</summary>
    /// <param name="key">The flattened key.</param>
    /// <param name="fallback">What to return when the key is absent.</param>
    /// <exception cref="FormatException">The value is not an integer.</exception>
    public int GetInt32(string key, int fallback)
    {
        var text = Get(key);
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"setting '{key}' must be a whole number, not '{text}'");
    }
}
