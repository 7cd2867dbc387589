using System.Text.Json.Serialization;

namespace Lute.Dashboard.Live;

/// <summary>The JSON the live streams write, generated at build time.</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class LiveJson : JsonSerializerContext;
