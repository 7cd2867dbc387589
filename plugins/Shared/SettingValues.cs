using Lute.Contracts;

namespace Lute.Executors;

/// <summary>
/// Reads settings that hold several values: a YAML list (flattened to <c>key:0</c>, <c>key:1</c>...) or one line
/// split at spaces (an empty line is an empty list).
/// </summary>
internal static class SettingValues
{
    public static IReadOnlyList<string> List(PluginSettings settings, string key, IReadOnlyList<string> fallback)
    {
        if (settings.Get(key) is { } line)
        {
            return line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        var values = new List<string>();
        for (var i = 0; settings.Get($"{key}:{i}") is { } value; i++)
        {
            values.Add(value);
        }

        return values.Count > 0 ? values : fallback;
    }

    /// <summary>True when the setting is given at all (as one line, even empty, or as a list).</summary>
    public static bool Given(PluginSettings settings, string key) =>
        settings.Get(key) is not null || settings.Get($"{key}:0") is not null;
}
