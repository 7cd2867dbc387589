using System.Globalization;
using System.Text.Encodings.Web;

namespace Lute.Host.Store;

/// <summary>
/// The JSON the store keeps and <c>lute show</c> prints, readable as written: only what JSON requires is escaped
/// (quotes, backslashes, control characters), plus DEL, the C1 controls and the Unicode line separators, so that the
/// text cannot move a terminal's cursor either. Apostrophes, non-ASCII letters and emoji stay as they are. Nothing
/// here goes into HTML unencoded: the report and pages encode every value for the place it lands.
/// </summary>
public sealed class ReadableJsonEncoder : JavaScriptEncoder
{
    private ReadableJsonEncoder()
    {
    }

    /// <summary>The encoder.</summary>
    public static ReadableJsonEncoder Instance { get; } = new();

    /// <inheritdoc />
    public override int MaxOutputCharactersPerInputCharacter => 6;

    /// <inheritdoc />
    public override bool WillEncode(int unicodeScalar) =>
        unicodeScalar is < 0x20 or '"' or '\\' or (>= 0x7F and <= 0x9F) or 0x2028 or 0x2029 or (>= 0xD800 and <= 0xDFFF);

    /// <inheritdoc />
    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var i = 0; i < textLength; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < textLength && char.IsLowSurrogate(text[i + 1]))
            {
                i++; // a whole pair: written as it is
                continue;
            }

            if (WillEncode(c))
            {
                return i;
            }
        }

        return -1;
    }

    /// <inheritdoc />
    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        var escape = unicodeScalar switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\b' => "\\b",
            '\f' => "\\f",
            _ when WillEncode(unicodeScalar) => string.Create(CultureInfo.InvariantCulture, $"\\u{unicodeScalar:X4}"),
            _ => char.ConvertFromUtf32(unicodeScalar),
        };
        if (escape.Length > bufferLength)
        {
            numberOfCharactersWritten = 0;
            return false;
        }

        for (var i = 0; i < escape.Length; i++)
        {
            buffer[i] = escape[i];
        }

        numberOfCharactersWritten = escape.Length;
        return true;
    }
}
