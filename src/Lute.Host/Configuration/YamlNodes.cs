using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Lute.Host.Configuration;

/// <summary>
/// Reads YAML into nodes that keep their positions, and turns them into values with errors that name file, line
/// and column. Scalars stay text: nothing is coerced to a number.
/// </summary>
internal sealed class YamlNodes(string file)
{
    /// <summary>How deep plugin and hook settings may nest.</summary>
    public const int MaxSettingsDepth = 32;

    /// <summary>How many values one settings block may hold.</summary>
    public const int MaxSettings = 10_000;

    public string File { get; } = file;

    /// <summary>Reads a configuration file's text; a file that cannot be read is an <see cref="InputException"/>.</summary>
    public static string ReadFile(string path, string what)
    {
        if (Directory.Exists(path))
        {
            throw new InputException($"cannot read {what} '{path}': it is a folder; name the YAML file in it");
        }

        try
        {
            return System.IO.File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"cannot read {what} '{path}': {e.Message}", e);
        }
    }

    public static (YamlNodes Reader, YamlNode? Root) Load(string file, string text)
    {
        var reader = new YamlNodes(file);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            var inner = e.InnerException as YamlException;
            var error = inner ?? e;
            var message = Clean(error.Message).TrimEnd('.');
            var (line, column) = YamlErrors.Place(error, message, text);
            throw new ConfigurationException(
                new SourceLocation(file, line, column), $"not valid YAML: {message}", YamlErrors.Fix(message), e);
        }

        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode;
            throw reader.Error(second, "the file holds more than one YAML document", "keep one: remove the '---' line and what follows it");
        }

        return (reader, stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode);
    }

    public SourceLocation At(YamlNode node) => new(File, node.Start.Line, node.Start.Column);

    public ConfigurationException Error(YamlNode node, string problem, string fix) => new(At(node), problem, fix);

    public YamlMappingNode Mapping(YamlNode node, string what) =>
        node as YamlMappingNode ?? throw Error(
            node, $"{what} must be a map of keys to values, not {Describe(node)}", "write 'KEY: VALUE' lines indented under it, or { KEY: VALUE, ... }");

    public YamlSequenceNode Sequence(YamlNode node, string what) =>
        node as YamlSequenceNode ?? throw Error(
            node, $"{what} must be a list, not {Describe(node)}", "write [a, b] or one '- item' line per item, indented under it");

    public string Scalar(YamlNode node, string what)
    {
        if (node is YamlScalarNode scalar)
        {
            return scalar.Value ?? string.Empty;
        }

        var fix = node is YamlMappingNode { Children.Count: 1 } map && map.Children.Keys.First() is YamlMappingNode
            ? "quote a value that holds a {{ }} reference, e.g. \"{{ name }}\" (unquoted, YAML reads braces as a map)"
            : "write one value (quote it if it starts with '[', '{', '-', '*' or '&')";
        throw Error(node, $"{what} must be a single value, not {Describe(node)}", fix);
    }

    public bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" };

    public bool Boolean(YamlNode node, string what)
    {
        var text = Scalar(node, what);
        return text.ToLowerInvariant() switch
        {
            "true" or "yes" or "on" => true,
            "false" or "no" or "off" => false,
            _ => throw Error(node, $"{what} must be true or false, not '{text}'", "write true or false"),
        };
    }

    public int PositiveInt(YamlNode node, string what, int maximum, string example)
    {
        var text = Scalar(node, what);
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 && value <= maximum)
        {
            return value;
        }

        throw Error(node, $"{what} must be a whole number from 1 to {maximum}, not '{text}'", $"write a whole number such as {example}");
    }

    public TimeSpan Duration(YamlNode node, string what)
    {
        var text = Scalar(node, what);
        return Durations.TryParse(text, out var value)
            ? value
            : throw Error(
                node,
                $"{what} must be a duration above 0 and at most {Durations.MaximumDays} days, not '{text}'",
                "write a number and a unit, such as 500ms, 30s, 10m, 2h or 1d");
    }

    /// <summary>The entries of a map, each key as text with its node; unknown keys are an error listing the valid ones.</summary>
    public IEnumerable<(string Key, YamlNode KeyNode, YamlNode Value)> Entries(
        YamlMappingNode map, string what, IReadOnlyCollection<string>? allowed = null)
    {
        foreach (var (keyNode, value) in map.Children)
        {
            var key = Scalar(keyNode, $"a key of {what}");
            if (allowed is not null && !allowed.Contains(key))
            {
                var closest = allowed.MinBy(k => EditDistance(k, key))!;
                var fix = EditDistance(closest, key) <= Math.Max(2, key.Length / 3)
                    ? $"write '{closest}' (valid keys: {string.Join(", ", allowed)})"
                    : $"remove it or use one of the valid keys: {string.Join(", ", allowed)}";
                throw Error(keyNode, $"unknown key '{key}' in {what}", fix);
            }

            yield return (key, keyNode, value);
        }
    }

    /// <summary>A map of text to text (for parameters, environment variables, settings).</summary>
    public IReadOnlyList<(string Key, string Value, YamlNode Node)> TextMap(YamlNode node, string what)
    {
        var result = new List<(string, string, YamlNode)>();
        if (IsNull(node))
        {
            return result;
        }

        foreach (var (key, _, value) in Entries(Mapping(node, what), what))
        {
            result.Add((key, Scalar(value, $"'{key}' in {what}"), value));
        }

        return result;
    }

    /// <summary>A list of text values, or one value standing for a list of one.</summary>
    public IReadOnlyList<(string Value, YamlNode Node)> TextList(YamlNode node, string what)
    {
        if (IsNull(node))
        {
            return [];
        }

        if (node is YamlScalarNode)
        {
            return [(Scalar(node, what), node)];
        }

        return Sequence(node, what).Children.Select(child => (Scalar(child, $"an item of {what}"), child)).ToList();
    }

    /// <summary>Flattens any YAML value to text keys joined with ':' (settings of plugins and hooks).</summary>
    public Dictionary<string, string> Flatten(YamlNode node, string what)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!IsNull(node))
        {
            Flatten(node, prefix: null, depth: 0, what, result);
        }

        return result;
    }

    private void Flatten(YamlNode node, string? prefix, int depth, string what, Dictionary<string, string> into)
    {
        if (depth > MaxSettingsDepth)
        {
            // An alias inside its own anchor (a: &x [*x]) makes a value that never ends.
            throw Error(node, $"{what} nest deeper than {MaxSettingsDepth} levels", "remove the alias (*NAME) that refers back into its own anchor (&NAME), or flatten the settings");
        }

        if (into.Count >= MaxSettings)
        {
            throw Error(node, $"{what} hold more than {MaxSettings} values", "list fewer values, or do not repeat large anchors (&NAME) through aliases (*NAME)");
        }

        switch (node)
        {
            case YamlScalarNode scalar:
                into[prefix ?? throw Error(node, $"{what} must be a map, not a single value", "write 'KEY: VALUE' lines indented under it, or { KEY: VALUE, ... }")] = scalar.Value ?? string.Empty;
                break;
            case YamlMappingNode map:
                foreach (var (key, _, value) in Entries(map, what))
                {
                    Flatten(value, prefix is null ? key : $"{prefix}:{key}", depth + 1, what, into);
                }

                break;
            case YamlSequenceNode list:
                for (var i = 0; i < list.Children.Count; i++)
                {
                    var index = i.ToString(CultureInfo.InvariantCulture);
                    Flatten(list.Children[i], prefix is null ? index : $"{prefix}:{index}", depth + 1, what, into);
                }

                break;
            default:
                throw Error(node, $"{what} holds a value of an unsupported kind", "write a single value, a map or a list");
        }
    }

    private static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode s => $"the value '{s.Value}'",
        YamlSequenceNode => "a list",
        YamlMappingNode => "a map",
        _ => "an alias",
    };

    /// <summary>The number of single-character edits that turn one text into the other (to suggest a key).</summary>
    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private static string Clean(string message)
    {
        // YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: ..) - (Line: ...): "; the location is ours to give.
        var index = message.LastIndexOf("): ", StringComparison.Ordinal);
        return index >= 0 && message.StartsWith("(Line", StringComparison.Ordinal) ? message[(index + 3)..] : message;
    }
}
