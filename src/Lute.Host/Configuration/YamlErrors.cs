using YamlDotNet.Core;

namespace Lute.Host.Configuration;

/// <summary>Where a YAML syntax error is, and what to write instead, for the errors people make most.</summary>
internal static class YamlErrors
{
    /// <summary>
    /// The line and column of the error. YamlDotNet places a tab used as indentation and an undefined alias at the
    /// start of the file; those are found in the text instead.
    /// </summary>
    public static (long Line, long Column) Place(YamlException error, string message, string text)
    {
        var start = error.Start;
        if (start.Line > 1 || start.Column > 1)
        {
            return (start.Line, start.Column);
        }

        var index = -1;
        if (message.Contains("tab", StringComparison.OrdinalIgnoreCase))
        {
            index = FirstIndentingTab(text);
        }
        else if (error is AnchorNotFoundException && Quoted(message) is { } anchor)
        {
            index = text.IndexOf("*" + anchor, StringComparison.Ordinal);
        }

        return index < 0 ? (start.Line, start.Column) : LineAndColumn(text, index);
    }

    /// <summary>What to write instead.</summary>
    public static string Fix(string message)
    {
        bool Has(string part) => message.Contains(part, StringComparison.OrdinalIgnoreCase);
        if (Has("tab"))
        {
            return "indent with spaces; YAML does not allow tabs in indentation";
        }

        if (Has("quoted scalar"))
        {
            return "close the quoted value with the same quote it opens with, on the same line";
        }

        if (Has("anchor"))
        {
            return "define the anchor (&NAME) before the alias (*NAME) that uses it, or quote a value that starts with '*'";
        }

        if (Has("duplicate key"))
        {
            return "keep one of the two keys: a map holds each key once";
        }

        if (Has("flow sequence") || Has("',' or ']'"))
        {
            return "close the list with ']' and separate its items with ', '";
        }

        if (Has("flow mapping") || Has("',' or '}'"))
        {
            return "close the map with '}' and separate its entries with ', '; quote a {{ }} reference";
        }

        if (Has("expected node content"))
        {
            return "a value is missing here: close an open '[' or '{', or give the key before it a value";
        }

        if (Has("invalid mapping") || Has("mapping values are not allowed"))
        {
            return "quote a value that holds ': ' (e.g. \"a: b\"), or put a nested key on its own line, indented under its parent";
        }

        if (Has("expected key") || Has("'-' indicator") || Has("block"))
        {
            return "indent the keys of one map, and the '- ' items of one list, by the same number of spaces";
        }

        if (Has("cannot start any token"))
        {
            return "quote the value: a plain value cannot start with '@', '`' or '%'";
        }

        return "check the quoting and indentation here: 'KEY: VALUE', nested values indented with spaces, lists as [a, b] or '- item' lines";
    }

    private static string? Quoted(string message)
    {
        var first = message.IndexOf('\'', StringComparison.Ordinal);
        var last = message.LastIndexOf('\'');
        return first >= 0 && last > first + 1 ? message[(first + 1)..last] : null;
    }

    private static int FirstIndentingTab(string text)
    {
        var lineStart = true;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\n':
                    lineStart = true;
                    break;
                case '\t' when lineStart:
                    return i;
                case ' ':
                    break;
                default:
                    lineStart = false;
                    break;
            }
        }

        return -1;
    }

    private static (long Line, long Column) LineAndColumn(string text, int index)
    {
        var line = 1L;
        var lineStart = 0;
        for (var i = 0; i < index; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, index - lineStart + 1);
    }
}
