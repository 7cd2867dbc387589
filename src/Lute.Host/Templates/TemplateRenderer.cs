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
    public string Render(TemplateText text) => Render(text, shell: null);

    /// <summary>
    /// Renders a shell script: every value put in place is quoted for the shell where it stands, so that the shell
    /// reads it back as exactly that text and never runs it as code. A bare word, <c>'...'</c>, <c>"..."</c>,
    /// <c>$(...)</c> and backquotes (nested in each other too), heredoc bodies and comments are quoted for; a value
    /// inside <c>${...}</c> or <c>$'...'</c>, right after a lone backslash or <c>$</c>, in a heredoc delimiter, a
    /// value that is not an integer inside arithmetic or <c>[[ ]]</c>, a value whose line would end its heredoc, and
    /// any value after a construct the shells may read differently are refused (see docs/reliability.md, "Trust").
    /// A command that runs its argument as code (<c>eval</c>, <c>sh -c</c>, <c>let</c>) does so by the script's choice.
    /// </summary>
    /// <param name="script">The script and its place.</param>
    /// <exception cref="ConfigurationException">
    /// A reference is unknown, malformed or part of a cycle, or a value cannot be quoted safely where it stands.
    /// </exception>
    public string RenderShell(TemplateText script)
    {
        ArgumentNullException.ThrowIfNull(script);
        var shell = new ShellScript(script);
        Render(script, shell);
        return shell.Finish();
    }

    /// <summary>Quotes <paramref name="value"/> for a POSIX shell, bare: single quotes, each single quote written as '\''.</summary>
    public static string ShellQuote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return ShellQuoter.Bare(value);
    }

    /// <summary>Renders <paramref name="text"/>; into <paramref name="shell"/> (then the result is not used) when given.</summary>
    private string Render(TemplateText text, ShellScript? shell)
    {
        var source = text.Text;
        var start = source.IndexOf("{{", StringComparison.Ordinal);
        if (start < 0)
        {
            shell?.AppendTemplate(0, source.Length);
            return source;
        }

        var builder = new StringBuilder(source.Length + 16);
        var position = 0;
        while (start >= 0)
        {
            builder.Append(source, position, start - position);
            shell?.AppendTemplate(position, start - position);
            var end = source.IndexOf("}}", start + 2, StringComparison.Ordinal);
            if (end < 0)
            {
                throw new ConfigurationException(text.Location, $"'{{{{' without a closing '}}}}' in '{source}'", "close the reference with '}}', or write {{ '{{' }} for a literal '{{'");
            }

            var name = source[(start + 2)..end].Trim();
            var value = Resolve(name, text);
            builder.Append(value);
            if (IsLiteral(name))
            {
                // A literal ({{ '{{' }}) is part of the script itself; only values are quoted.
                shell?.AppendLiteral(value, start);
            }
            else
            {
                shell?.AppendValue(name, value, start);
            }

            position = end + 2;
            start = source.IndexOf("{{", position, StringComparison.Ordinal);
        }

        builder.Append(source, position, source.Length - position);
        shell?.AppendTemplate(position, source.Length - position);
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
