using System.CommandLine;
using System.Text.Json;
using Lute.Host.Store;

namespace Lute.Cli.Json;

/// <summary>
/// The JSON form of a command's output (<c>--json</c>): one document on standard output, shaped as docs/cli-json.md
/// says, with a <c>version</c> that changes only when a field changes meaning or goes away (fields may be added).
/// Times are ISO-8601 UTC, durations seconds; text is escaped as JSON, so nothing a task wrote can break the document.
/// </summary>
internal static class CliJson
{
    /// <summary>The version of every command's JSON shape.</summary>
    public const int Version = 1;

    /// <summary>The <c>--json</c> option.</summary>
    public static Option<bool> Option() => new("--json") { Description = "print the result as one JSON document (docs/cli-json.md)" };

    /// <summary>Writes one document on standard output: <c>{"version": 1, "command": ..., ...}</c>.</summary>
    /// <param name="command">The command's name.</param>
    /// <param name="body">Writes the document's other members.</param>
    public static void Print(string command, Action<Utf8JsonWriter> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var stdout = System.Console.OpenStandardOutput();
        using (var writer = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true, Encoder = ReadableJsonEncoder.Instance }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", Version);
            writer.WriteString("command", command);
            body(writer);
            writer.WriteEndObject();
        }

        stdout.WriteByte((byte)'\n');
    }

    /// <summary>A time as ISO-8601 UTC, or null.</summary>
    public static void Time(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            writer.WriteString(name, time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>A text or null.</summary>
    public static void Text(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    /// <summary>A number or null.</summary>
    public static void Number(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>A map of texts (a null value written as null).</summary>
    public static void Map(Utf8JsonWriter writer, string name, IEnumerable<KeyValuePair<string, string?>> values)
    {
        writer.WriteStartObject(name);
        foreach (var (key, value) in values)
        {
            Text(writer, key, value);
        }

        writer.WriteEndObject();
    }

    /// <summary>A map of texts.</summary>
    public static void StringMap(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, string> values) =>
        Map(writer, name, values.Select(p => KeyValuePair.Create(p.Key, (string?)p.Value)));

    /// <summary>Any JSON value as it was recorded, or null.</summary>
    public static void Value(Utf8JsonWriter writer, string name, JsonElement? value)
    {
        writer.WritePropertyName(name);
        if (value is { } json)
        {
            json.WriteTo(writer);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    /// <summary>A list of texts.</summary>
    public static void List(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}
