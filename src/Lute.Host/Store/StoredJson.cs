using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Lute.Host.Store;

/// <summary>
/// The JSON text of a run's typed values as the SQLite store keeps them and <c>lute show</c> prints them: compact,
/// written with <see cref="HostJson.Stored"/> (snake_case names, the <see cref="ReadableJsonEncoder"/>). Writing keeps
/// the order it is given (<see cref="Sorted{T}"/> gives the store's sorted order); reading gives an empty value for a
/// missing or unreadable text, never an exception.
/// </summary>
internal static class StoredJson
{
    /// <summary><paramref name="map"/> with its keys in ordinal order, as the store keeps most maps.</summary>
    public static SortedDictionary<string, T> Sorted<T>(IReadOnlyDictionary<string, T> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var sorted = new SortedDictionary<string, T>(StringComparer.Ordinal);
        foreach (var (key, value) in map)
        {
            sorted[key] = value;
        }

        return sorted;
    }

    /// <summary>A list of strings (the command, the communicators).</summary>
    public static string List(IEnumerable<string> values) => JsonSerializer.Serialize([.. values], HostJson.Stored.ListString);

    /// <summary>A map of strings, in the order given (parameters, summary, details).</summary>
    public static string Map(IEnumerable<KeyValuePair<string, string>> map) =>
        JsonSerializer.Serialize(new Dictionary<string, string>(map, StringComparer.Ordinal), HostJson.Stored.DictionaryStringString);

    /// <summary>Environment changes, in the order given; a null value (unset) is JSON null.</summary>
    public static string Environment(IEnumerable<KeyValuePair<string, string?>> changes) =>
        JsonSerializer.Serialize(new Dictionary<string, string?>(changes, StringComparer.Ordinal), typeof(Dictionary<string, string>), HostJson.Stored);

    /// <summary>A map of JSON values, in the order given (metadata).</summary>
    public static string Values(IEnumerable<KeyValuePair<string, JsonElement>> map) =>
        JsonSerializer.Serialize(new Dictionary<string, JsonElement>(map, StringComparer.Ordinal), HostJson.Stored.DictionaryStringJsonElement);

    /// <summary>A JSON value (the payload), written again: escapes such as <c>\u00e9</c> become readable text.</summary>
    public static string Value(JsonElement value) => JsonSerializer.Serialize(value, HostJson.Stored.JsonElement);

    /// <summary>Requests hooks could not deliver.</summary>
    public static string Undelivered(IEnumerable<UndeliveredEntry> entries) => JsonSerializer.Serialize([.. entries], HostJson.Stored.ListUndeliveredEntry);

    /// <summary>Hook failures.</summary>
    public static string HookErrors(IEnumerable<HookErrorEntry> entries) => JsonSerializer.Serialize([.. entries], HostJson.Stored.ListHookErrorEntry);

    /// <summary>The list in <paramref name="text"/>; empty when there is none or it cannot be read.</summary>
    public static IReadOnlyList<string> ReadList(string? text) => Read(text, HostJson.Stored.ListString) ?? [];

    /// <summary>The map of strings in <paramref name="text"/>, in its order; empty when there is none or it cannot be read.</summary>
    public static IReadOnlyDictionary<string, string> ReadMap(string? text) =>
        Read(text, HostJson.Stored.DictionaryStringString) ?? new Dictionary<string, string>();

    /// <summary>The environment changes in <paramref name="text"/>, in its order; empty when there are none or they cannot be read.</summary>
    public static IReadOnlyDictionary<string, string?> ReadEnvironment(string? text) =>
        Read<Dictionary<string, string>>(text, HostJson.Stored.DictionaryStringString) is { } changes
            ? changes.ToDictionary(c => c.Key, string? (c) => c.Value, StringComparer.Ordinal)
            : new Dictionary<string, string?>();

    /// <summary>The map of JSON values in <paramref name="text"/>, in its order; empty when there is none or it cannot be read.</summary>
    public static IReadOnlyDictionary<string, JsonElement> ReadValues(string? text) =>
        Read(text, HostJson.Stored.DictionaryStringJsonElement) ?? new Dictionary<string, JsonElement>();

    /// <summary>The JSON value in <paramref name="text"/> (JSON null is a value); null when there is none or it cannot be read.</summary>
    public static JsonElement? ReadValue(string? text)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The undelivered requests in <paramref name="text"/>; empty when there are none or they cannot be read.</summary>
    public static IReadOnlyList<UndeliveredEntry> ReadUndelivered(string? text) => Read(text, HostJson.Stored.ListUndeliveredEntry) ?? [];

    /// <summary>The hook failures in <paramref name="text"/>; empty when there are none or they cannot be read.</summary>
    public static IReadOnlyList<HookErrorEntry> ReadHookErrors(string? text) => Read(text, HostJson.Stored.ListHookErrorEntry) ?? [];

    private static T? Read<T>(string? text, JsonTypeInfo<T> type)
        where T : class
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(text, type);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            return null;
        }
    }
}
