using System.Text;
using Lute.Host.Configuration;

namespace Lute.Host.Templates;

/// <summary>
/// A shell script being rendered: the template's own text goes in as written; each value goes in quoted for the place
/// the script so far leads to (<see cref="ShellLexer"/>), or is refused with an error naming the template and the
/// reference's line and column in the script. Every value is checked after it is put in: the constructs open before
/// it are open after it, and the line of a value in a heredoc body does not end the heredoc.
/// </summary>
internal sealed class ShellScript
{
    private readonly TemplateText _template;
    private readonly StringBuilder _output;
    private readonly List<(int Output, int Template, int Length)> _segments = [];
    private readonly List<(string Name, int Reference, int End, Heredoc Heredoc)> _inHeredocs = [];

    /// <summary>Starts rendering <paramref name="template"/>.</summary>
    public ShellScript(TemplateText template)
    {
        _template = template;
        _output = new StringBuilder(template.Text.Length + 16);
    }

    /// <summary>Appends the template's own text from <paramref name="start"/>.</summary>
    public void AppendTemplate(int start, int length)
    {
        _segments.Add((_output.Length, start, length));
        _output.Append(_template.Text, start, length);
    }

    /// <summary>Appends text that is part of the script (a <c>{{ '{{' }}</c> literal) written at <paramref name="reference"/>.</summary>
    public void AppendLiteral(string text, int reference)
    {
        _segments.Add((_output.Length, reference, 0));
        _output.Append(text);
    }

    /// <summary>Appends a value quoted for where it stands.</summary>
    /// <exception cref="ConfigurationException">The value cannot go there safely.</exception>
    public void AppendValue(string name, string value, int reference)
    {
        var before = ShellLexer.Scan(_output.ToString());
        if (ShellQuoter.TryQuote(value, before.Place, out var quoted) is { } refusal)
        {
            throw Refused(name, reference, refusal);
        }

        _segments.Add((_output.Length, reference, 0));
        _output.Append(quoted);
        var after = ShellLexer.Scan(_output.ToString());
        if (after.Shape != before.Shape)
        {
            throw Refused(name, reference, before.Place.Heredoc is { } h ? ShellRefusals.EndsHeredoc(h.Delimiter) : ShellRefusals.Unverified);
        }

        if (before.Place.Heredoc is { } heredoc)
        {
            _inHeredocs.Add((name, reference, _output.Length, heredoc));
        }
    }

    /// <summary>The rendered script, once every value in a heredoc body is proven to leave the heredoc open on its line.</summary>
    /// <exception cref="ConfigurationException">The line of a value would end its heredoc.</exception>
    public string Finish()
    {
        var script = _output.ToString();
        foreach (var (name, reference, end, heredoc) in _inHeredocs)
        {
            // The line the value ends on is complete once its line break is read (the end of the script counts as one).
            var lineEnd = script.IndexOf('\n', end);
            var through = lineEnd < 0 ? script + "\n" : script[..(lineEnd + 1)];
            if (ShellLexer.Scan(through).Place.Heredoc?.Operator != heredoc.Operator)
            {
                throw Refused(name, reference, ShellRefusals.EndsHeredoc(heredoc.Delimiter));
            }
        }

        return script;
    }

    private ConfigurationException Refused(string name, int reference, ShellRefusal refusal)
    {
        var problem = $"{{{{ {name} }}}} ({Where(reference)}) cannot be put in safely: {refusal.Problem}";
        if (refusal.Offset is { } offset)
        {
            problem = $"{{{{ {name} }}}} ({Where(reference)}) cannot be put in safely: it comes after {refusal.Problem} ({Where(TemplateOffset(offset))}), "
                + "past which the script cannot be read with certainty";
        }

        return new ConfigurationException(_template.Location, problem, refusal.Fix.Replace("NAME", name, StringComparison.Ordinal));
    }

    /// <summary>The template offset of an offset in the output: in the template's own text, or the reference of a value.</summary>
    private int TemplateOffset(int output)
    {
        var (start, template, length) = _segments.LastOrDefault(s => s.Output <= output);
        return length > 0 && output < start + length ? template + (output - start) : template;
    }

    /// <summary>"script line L, column C" of a template offset, both from 1.</summary>
    private string Where(int offset)
    {
        var text = _template.Text.AsSpan(0, Math.Min(offset, _template.Text.Length));
        var line = text.Count('\n') + 1;
        var column = offset - (text.LastIndexOf('\n') + 1) + 1;
        return $"script line {line}, column {column}";
    }
}
