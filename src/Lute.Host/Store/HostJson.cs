using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lute.Host.Store;

/// <summary>Source-generated JSON for what the host stores and sends (no reflection at run time).</summary>
[JsonSourceGenerationOptions(WriteIndented = false, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(List<JsonElement>))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(List<UndeliveredEntry>))]
[JsonSerializable(typeof(List<HookErrorEntry>))]
internal sealed partial class HostJson : JsonSerializerContext
{
    /// <summary>The store's JSON: as <see cref="JsonSerializerContext"/>'s default, written with the <see cref="ReadableJsonEncoder"/>.</summary>
    public static HostJson Stored { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = ReadableJsonEncoder.Instance,
    });
}
