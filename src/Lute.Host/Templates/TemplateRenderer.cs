using System.Text;
using Lute.Host.Configuration;

namespace Lute.Host.Templates;

/// <summary>
/// Renders <c>{{ name }}</c> references: a task parameter, <c>header.NAME</c>, <c>lute.NAME</c> (run_id, task,
/// executor) or <c>$VAR</c> (the runner's environment). <c>{{ '{{' }}</c> writes a literal <c>{{</c>. An unknown
/// name or a cycle is an error naming the place; nothing is ever left in place silently and strings stay strings.
/// </summary>
public sealed class TemplateRenderer
{
    private readonly Dictionary<string, TemplateText> _parameters;
    private readonly IReadOnlyDictionary<string, TemplateText> _header;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly IReadOnlyDictionary<string, string> _builtins;
    private readonly Dictionary<string, string> _rendered = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _renderedHeader = new(StringComparer.Ordinal);
    private readonly List<string> _stack = [];

    /// <summary>Creates a renderer.</summary>
    /// <param name="parameters">The task's parameters; they may refer to each other.</param>
    /// <param name="header">The task file's header values.</param>
    /// <param name="environment">The environment <c>$VAR</c> reads.</param>
    /// <param name="builtins">Values of <c>lute.NAME</c>.</param>
    public TemplateRenderer(
        IEnumerable<KeyValuePair<string, TemplateText>> parameters,
        IReadOnlyDictionary<string, TemplateText> header,
        IReadOnlyDictionary<string, string> environment,
        IReadOnlyDictionary<string, string> builtins)
    {
        _parameters = new Dictionary<string, TemplateText>(parameters, StringComparer.Ordinal);
        _header = header;
        _environment = environment;
        _builtins = builtins;
    }

    /// <summary>Every parameter, rendered, in name order.</summary>
    public IReadOnlyDictionary<string, string> RenderParameters()
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in _parameters.Keys)
        {
            result[name] = Parameter(name, _parameters[name].Location);
        }

        return result;
    }

    /// <summary>Renders one text.</summary>
    /// <param name="text">The text and its place.</param>
    /// <exception cref="ConfigurationException">A reference is unknown, malformed or part of a cycle.</exception>
    public string Render(TemplateText text) => Render(text, quote: null);

    /// <summary>
    /// Renders a shell script: every value put in place is quoted for the shell where it stands (bare, inside double
    /// quotes or inside single quotes), so that it stays one word and is never run as code.
    /// </summary>
    /// <param name="script">The script and its place.</param>
    /// <exception cref="ConfigurationException">A reference is unknown, malformed or part of a cycle.</exception>
    public string RenderShell(TemplateText script) => Render(script, ShellQuote);

    /// <summary>Quotes <paramref name="value"/> for a POSIX shell, bare: single quotes, each single quote written as '\''.</summary>
    public static string ShellQuote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>Quotes <paramref name="value"/> for the place in a shell script that <paramref name="before"/> leads to.</summary>
    private static string ShellQuote(string value, string before) => QuotingAt(before) switch
    {
        // Inside '...': end the quotes around each single quote of the value.
        '\'' => value.Replace("'", "'\\''", StringComparison.Ordinal),
        // Inside "...": only \ $ ` and " are special there.
        '"' => EscapeForDoubleQuotes(value),
        _ => ShellQuote(value),
    };

    private static string EscapeForDoubleQuotes(string value)
    {
        var escaped = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (c is '\\' or '$' or '`' or '"')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    /// <summary>The quotes open at the end of <paramref name="script"/>: a single or double quote, or none (a NUL).</summary>
    private static char QuotingAt(string script)
    {
        var open = '\0';
        for (var i = 0; i < script.Length; i++)
        {
            var c = script[i];
            if (open == '\'')
            {
                open = c == '\'' ? '\0' : open;
            }
            else if (c == '\\')
            {
                i++; // the next character is taken literally, outside single quotes
            }
            else if (c == '"')
            {
                open = open == '"' ? '\0' : '"';
            }
            else if (c == '\'' && open == '\0')
            {
                open = '\'';
            }
        }

        return open;
    }

    private string Render(TemplateText text, Func<string, string, string>? quote)
    {
        var source = text.Text;
        var start = source.IndexOf("{{", StringComparison.Ordinal);
        if (start < 0)
        {
            return source;
        }

        var builder = new StringBuilder(source.Length + 16);
        var position = 0;
        while (start >= 0)
        {
            builder.Append(source, position, start - position);
            var end = source.IndexOf("}}", start + 2, StringComparison.Ordinal);
            if (end < 0)
            {
                throw new ConfigurationException(text.Location, $"'{{{{' without a closing '}}}}' in '{source}'", "close the reference with '}}', or write {{ '{{' }} for a literal '{{'");
            }

            var name = source[(start + 2)..end].Trim();
            var value = Resolve(name, text);
            // A literal ({{ '{{' }}) is part of the script itself; only values are quoted.
            builder.Append(quote is null || IsLiteral(name) ? value : quote(value, builder.ToString()));
            position = end + 2;
            start = source.IndexOf("{{", position, StringComparison.Ordinal);
        }

        builder.Append(source, position, source.Length - position);
        return builder.ToString();
    }

    private static bool IsLiteral(string name) => name.Length >= 2 && name[0] == '\'' && name[^1] == '\'';

    private string Resolve(string name, TemplateText text)
    {
        if (IsLiteral(name))
        {
            return name[1..^1];
        }

        if (name.Length == 0)
        {
            throw new ConfigurationException(text.Location, $"an empty reference '{{{{ }}}}' in '{text.Text}'", "name a parameter, header.NAME, lute.NAME or $VAR between the braces");
        }

        if (name[0] == '$')
        {
            var variable = name[1..];
            return _environment.TryGetValue(variable, out var value)
                ? value
                : throw new ConfigurationException(
                    text.Location, $"environment variable '{variable}' in '{{{{ {name} }}}}' is not set", $"set {variable} before running lute, or use a parameter instead");
        }

        if (name.StartsWith("header.", StringComparison.Ordinal))
        {
            return Header(name["header.".Length..], text);
        }

        if (name.StartsWith("lute.", StringComparison.Ordinal))
        {
            var key = name["lute.".Length..];
            return _builtins.TryGetValue(key, out var value)
                ? value
                : throw new ConfigurationException(text.Location, $"unknown name '{name}'", $"write one of: {Known(_builtins.Keys, "lute.")}");
        }

        if (_parameters.ContainsKey(name))
        {
            return Parameter(name, text.Location);
        }

        throw new ConfigurationException(
            text.Location,
            $"unknown name '{name}' in '{text.Text}'. Parameters are: {Known(_parameters.Keys, string.Empty)}",
            "define it under 'parameters', or use header.NAME, lute.NAME or $VAR");
    }

    private string Header(string key, TemplateText text)
    {
        if (_renderedHeader.TryGetValue(key, out var done))
        {
            return done;
        }

        if (!_header.TryGetValue(key, out var value))
        {
            throw new ConfigurationException(
                text.Location, $"unknown name 'header.{key}'", $"add '{key}' to the header, or use one of: {Known(_header.Keys, "header.")}");
        }

        return _renderedHeader[key] = Enter("header." + key, value, text.Location);
    }

    private string Parameter(string name, SourceLocation from)
    {
        if (_rendered.TryGetValue(name, out var done))
        {
            return done;
        }

        return _rendered[name] = Enter(name, _parameters[name], from);
    }

    private string Enter(string name, TemplateText value, SourceLocation from)
    {
        if (_stack.Contains(name))
        {
            var cycle = _stack.Skip(_stack.IndexOf(name)).ToList();
            throw new ConfigurationException(
                from,
                $"the references form a cycle: {string.Join(" -> ", _stack.Append(name))}",
                $"give one of {string.Join(", ", cycle.Select(n => $"'{n}'"))} a value that does not refer back to the others");
        }

        _stack.Add(name);
        try
        {
            return Render(value);
        }
        finally
        {
            _stack.RemoveAt(_stack.Count - 1);
        }
    }

    private static string Known(IEnumerable<string> names, string prefix)
    {
        var list = names.Order(StringComparer.Ordinal).Select(n => prefix + n).ToList();
        return list.Count == 0 ? "(none)" : string.Join(", ", list);
    }
}
