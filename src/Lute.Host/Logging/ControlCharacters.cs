using System.Buffers;
using System.Globalization;
using System.Text;

namespace Lute.Host.Logging;

/// <summary>
/// Makes text a task wrote safe to put on one console or log line: control characters (newlines, carriage returns,
/// escape sequences that move the cursor or change colours, NUL...) and the characters that reorder or break lines
/// are written as visible escapes (<c>\n</c>, <c>\r</c>, <c>\x1B</c>, <c>\u202E</c>), so a task can neither forge a
/// line of the runner nor rewrite what the terminal shows. Tabs stay. The stored payload keeps the original bytes.
/// </summary>
public static class ControlCharacters
{
    private static readonly SearchValues<char> Unsafe = SearchValues.Create(UnsafeCharacters());

    /// <summary>The text with every unsafe character escaped; the same instance when there is none (the common case).</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = text.AsSpan().IndexOfAny(Unsafe);
        return first < 0 ? text : EscapeFrom(text, first);
    }

    /// <summary>Whether <paramref name="text"/> holds a character <see cref="Escape"/> would change.</summary>
    public static bool NeedsEscaping(string text) => text.AsSpan().ContainsAny(Unsafe);

    private static string EscapeFrom(string text, int first)
    {
        var builder = new StringBuilder(text.Length + 16);
        builder.Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (!Unsafe.Contains(c))
            {
                builder.Append(c);
                continue;
            }

            builder.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\0' => "\\0",
                < '\u0100' => string.Create(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}"),
                _ => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
            });
        }

        return builder.ToString();
    }

    private static string UnsafeCharacters()
    {
        var characters = new StringBuilder();
        for (var c = '\0'; c < ' '; c++)
        {
            if (c != '\t')
            {
                characters.Append(c);
            }
        }

        // DEL and the C1 controls (U+009B is a one-character escape sequence introducer on some terminals).
        for (var c = '\u007F'; c <= '\u009F'; c++)
        {
            characters.Append(c);
        }

        // Line and paragraph separators, and the bidirectional embeddings, overrides and isolates that make a terminal
        // or an editor show text in another order than it is written.
        characters.Append("\u2028\u2029\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069");
        return characters.ToString();
    }
}
