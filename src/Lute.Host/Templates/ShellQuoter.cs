using System.Text;

namespace Lute.Host.Templates;

/// <summary>Writes a value for its place in a shell script so that the shell reads it back as exactly that text.</summary>
internal static class ShellQuoter
{
    /// <summary>A bare word: single quotes, each single quote of the value written as '\''.</summary>
    public static string Bare(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>Quotes <paramref name="value"/> for <paramref name="place"/>, or tells why it cannot go there.</summary>
    /// <returns>Null when <paramref name="quoted"/> holds the text to put in; otherwise the refusal.</returns>
    public static ShellRefusal? TryQuote(string value, ShellPlace place, out string quoted)
    {
        quoted = string.Empty;
        var lineBreak = value.Contains('\n', StringComparison.Ordinal);
        var refusal = place switch
        {
            { Refusal: { } refused } => refused,
            { IntegerOnly: { } where } when !IsInteger(value) => ShellRefusals.NotAnInteger(where),
            { SingleLine: { } where } when lineBreak => ShellRefusals.LineBreak(where),
            { Spot: ShellSpot.Comment } when lineBreak => ShellRefusals.Comment,
            { Spot: ShellSpot.HeredocBody or ShellSpot.LiteralHeredocBody, Heredoc.StripTabs: true }
                when (place.AtLineStart && value.StartsWith('\t')) || value.Contains("\n\t", StringComparison.Ordinal) => ShellRefusals.LeadingTab,
            _ => null,
        };
        if (refusal is not null)
        {
            return refusal;
        }

        var text = place.Spot switch
        {
            ShellSpot.SingleQuoted => value.Replace("'", "'\\''", StringComparison.Ordinal),
            ShellSpot.DoubleQuoted => Escape(value, "\\$`\""),
            // Double quotes stay literal in a heredoc body: only \ $ ` are special there.
            ShellSpot.HeredocBody => Escape(value, "\\$`"),
            // Nothing is special in the body of a heredoc with a quoted delimiter, and only an integer reaches arithmetic.
            ShellSpot.LiteralHeredocBody or ShellSpot.Arithmetic => value,
            _ => Bare(value),
        };
        // Inside backquotes the shell removes a backslash before \ ` $ (and " within "...") before it reads the
        // inner script: escape for the innermost layer first.
        for (var layer = place.Backquotes.Length - 1; layer >= 0; layer--)
        {
            text = Escape(text, place.Backquotes[layer] ? "\\$`\"" : "\\$`");
        }

        quoted = text;
        return null;
    }

    /// <summary>An optional sign and ASCII digits: text that no shell evaluates into anything but a number.</summary>
    private static bool IsInteger(string value)
    {
        var digits = value.AsSpan(value.StartsWith('-') || value.StartsWith('+') ? 1 : 0);
        return !digits.IsEmpty && !digits.ContainsAnyExcept("0123456789");
    }

    private static string Escape(string value, string special)
    {
        var escaped = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (special.Contains(c, StringComparison.Ordinal))
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }
}
