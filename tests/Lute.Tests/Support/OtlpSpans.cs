namespace Lute.Tests.Support;

/// <summary>A span as OTLP carries it, with the fields the tests read.</summary>
internal sealed record OtlpSpan(string TraceId, string SpanId, string ParentSpanId, string Name, int StatusCode = 0, string StatusMessage = "");

/// <summary>
/// A minimal decoder of OTLP/HTTP protobuf bodies (<c>ExportTraceServiceRequest</c>): resource_spans (1) → scope_spans
/// (2) → spans (2) → trace_id (1), span_id (2), parent_span_id (4), name (5). Every other field is skipped by its wire
/// type, as protobuf readers do.
/// </summary>
internal static class OtlpSpans
{
    public static IReadOnlyList<OtlpSpan> Decode(byte[] body)
    {
        var spans = new List<OtlpSpan>();
        foreach (var resourceSpans in Fields(body, 1))
        {
            foreach (var scopeSpans in Fields(resourceSpans, 2))
            {
                foreach (var span in Fields(scopeSpans, 2))
                {
                    // Span.status (15): Status.message (2), Status.code (3; 1 OK, 2 ERROR).
                    var status = Fields(span, 15).FirstOrDefault() ?? [];
                    spans.Add(new OtlpSpan(
                        Hex(Fields(span, 1).FirstOrDefault()), Hex(Fields(span, 2).FirstOrDefault()),
                        Hex(Fields(span, 4).FirstOrDefault()), System.Text.Encoding.UTF8.GetString(Fields(span, 5).FirstOrDefault() ?? []),
                        (int)Varints(status, 3).FirstOrDefault(), System.Text.Encoding.UTF8.GetString(Fields(status, 2).FirstOrDefault() ?? [])));
                }
            }
        }

        return spans;
    }

    /// <summary>The length-delimited fields numbered <paramref name="number"/> of a message, in order.</summary>
    private static List<byte[]> Fields(byte[] message, int number)
    {
        var found = new List<byte[]>();
        var at = 0;
        while (at < message.Length)
        {
            var key = Varint(message, ref at);
            var (field, wire) = ((int)(key >> 3), (int)(key & 7));
            switch (wire)
            {
                case 0:
                    Varint(message, ref at);
                    break;
                case 1:
                    at += 8;
                    break;
                case 2:
                    var length = (int)Varint(message, ref at);
                    if (field == number)
                    {
                        found.Add(message[at..(at + length)]);
                    }

                    at += length;
                    break;
                case 5:
                    at += 4;
                    break;
                default:
                    throw new FormatException($"wire type {wire} at byte {at} is not protobuf this decoder knows");
            }
        }

        return found;
    }

    /// <summary>The values of the varint fields numbered <paramref name="number"/>.</summary>
    private static List<ulong> Varints(byte[] message, int number)
    {
        var found = new List<ulong>();
        var at = 0;
        while (at < message.Length)
        {
            var key = Varint(message, ref at);
            var (field, wire) = ((int)(key >> 3), (int)(key & 7));
            switch (wire)
            {
                case 0:
                    var value = Varint(message, ref at);
                    if (field == number)
                    {
                        found.Add(value);
                    }

                    break;
                case 1:
                    at += 8;
                    break;
                case 2:
                    var skipped = (int)Varint(message, ref at);
                    at += skipped;
                    break;
                case 5:
                    at += 4;
                    break;
                default:
                    throw new FormatException($"wire type {wire} at byte {at} is not protobuf this decoder knows");
            }
        }

        return found;
    }

    private static ulong Varint(byte[] message, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = message[at++];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
    }

    private static string Hex(byte[]? bytes) => bytes is null ? string.Empty : Convert.ToHexStringLower(bytes);
}
