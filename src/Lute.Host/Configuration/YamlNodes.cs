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
    public string File { get; } = file;

    /// <summary>Reads a configuration file's text; a file that cannot be read is an <see cref="InputException"/>.</summary>
    public static string ReadFile(string path, string what)
    {
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
            var mark = inner?.Start ?? e.Start;
            var message = inner?.Message ?? e.Message;
            throw new ConfigurationException(
                new SourceLocation(file, mark.Line, mark.Column),
                $"not valid YAML: {Clean(message)}", e);
        }

        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode;
            throw reader.Error(second, "the file holds more than one YAML document; keep one");
        }

        return (reader, stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode);
    }

    public SourceLocation At(YamlNode node) => new(File, node.Start.Line, node.Start.Column);

    public ConfigurationException Error(YamlNode node, string problem) => new(At(node), problem);

    public YamlMappingNode Mapping(YamlNode node, string what) =>
        node as YamlMappingNode ?? throw Error(node, $"{what} must be a map of keys to values, not {Describe(node)}");

    public YamlSequenceNode Sequence(YamlNode node, string what) =>
        node as YamlSequenceNode ?? throw Error(node, $"{what} must be a list, not {Describe(node)}");

    public string Scalar(YamlNode node, string what)
    {
        if (node is YamlScalarNode scalar)
        {
            return scalar.Value ?? string.Empty;
        }

        throw Error(node, $"{what} must be a single value, not {Describe(node)}");
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
            _ => throw Error(node, $"{what} must be true or false, not '{text}'"),
        };
    }

    public int PositiveInt(YamlNode node, string what)
    {
        var text = Scalar(node, what);
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0)
        {
            return value;
        }

        throw Error(node, $"{what} must be a whole number above 0, not '{text}'");
    }

    public TimeSpan Duration(YamlNode node, string what)
    {
        var text = Scalar(node, what);
        return Durations.TryParse(text, out var value)
            ? value
            : throw Error(node, $"{what} must be a positive duration such as 30s, 10m, 2h or 500ms, not '{text}'");
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
                throw Error(keyNode, $"unknown key '{key}' in {what}; valid keys: {string.Join(", ", allowed)}");
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
            Flatten(node, prefix: null, what, result);
        }

        return result;
    }

    private void Flatten(YamlNode node, string? prefix, string what, Dictionary<string, string> into)
    {
        switch (node)
        {
            case YamlScalarNode scalar:
                into[prefix ?? throw Error(node, $"{what} must be a map")] = scalar.Value ?? string.Empty;
                break;
            case YamlMappingNode map:
                foreach (var (key, _, value) in Entries(map, what))
                {
                    Flatten(value, prefix is null ? key : $"{prefix}:{key}", what, into);
                }

                break;
            case YamlSequenceNode list:
                for (var i = 0; i < list.Children.Count; i++)
                {
                    var index = i.ToString(CultureInfo.InvariantCulture);
                    Flatten(list.Children[i], prefix is null ? index : $"{prefix}:{index}", what, into);
                }

                break;
            default:
                throw Error(node, $"{what} holds a value of an unsupported kind");
        }
    }

    private static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode s => $"the value '{s.Value}'",
        YamlSequenceNode => "a list",
        YamlMappingNode => "a map",
        _ => "an alias",
    };

    private static string Clean(string message)
    {
        // YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: ..) - (Line: ...): "; the location is ours to give.
        var index = message.LastIndexOf("): ", StringComparison.Ordinal);
        return index >= 0 && message.StartsWith("(Line", StringComparison.Ordinal) ? message[(index + 3)..] : message;
    }
}
