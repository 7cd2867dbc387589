using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace Lute.Dashboard.Pages;

/// <summary>
/// Builds a page's HTML. Markup comes only from this program's own literals (<see cref="Raw"/>); every value, whatever
/// its origin (a task's name, a log line, a reason a task gave), goes through <see cref="Text"/>, <see cref="Attribute"/>
/// or <see cref="Link"/>, which encode it for the exact place it lands: element text, a quoted attribute value, a URL's
/// path segment or query value inside a quoted attribute. Inline SVG is HTML here, so the same rules hold in plots.
/// </summary>
internal sealed class Html
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Default;
    private readonly StringBuilder _text = new(16 * 1024);

    /// <summary>Appends this program's own markup; never a value.</summary>
    public Html Raw(string markup)
    {
        _text.Append(markup);
        return this;
    }

    /// <summary>Appends a value as element text.</summary>
    public Html Text(string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            Encoder.Encode(new StringWriter(_text, CultureInfo.InvariantCulture), value);
        }

        return this;
    }

    /// <summary>Appends a number as element text.</summary>
    public Html Text(long value) => Raw(value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Appends <c> name="value"</c>, the value encoded for a double-quoted attribute.</summary>
    public Html Attribute(string name, string? value)
    {
        _text.Append(' ').Append(name).Append("=\"");
        Text(value);
        _text.Append('"');
        return this;
    }

    /// <summary>Appends <c> href="…"</c> for a path of this dashboard and its query, each value URL-encoded, then attribute-encoded.</summary>
    public Html Link(string path, IEnumerable<KeyValuePair<string, string?>>? query = null) =>
        Attribute("href", Url(path, query));

    /// <summary>A path of this dashboard with its query; the values URL-encoded (not yet encoded for HTML).</summary>
    public static string Url(string path, IEnumerable<KeyValuePair<string, string?>>? query = null)
    {
        var url = new StringBuilder(path);
        var separator = '?';
        foreach (var (key, value) in query ?? [])
        {
            if (value is null)
            {
                continue;
            }

            url.Append(separator).Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }

        return url.ToString();
    }

    /// <summary>A number for markup (attributes of plots): invariant, never a value from outside.</summary>
    public static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public override string ToString() => _text.ToString();
}
