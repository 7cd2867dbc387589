namespace Lute.Host.Environment;

/// <summary>
/// Keeps secrets out of logs and the result store: the values of environment variables whose names match the
/// configured patterns (<c>*TOKEN*</c>, <c>*PASSWORD*</c>...) become <c>***</c>, in the recorded environment and
/// wherever they appear in recorded text (a command line, a parameter).
/// </summary>
public sealed class SecretRedactor
{
    /// <summary>What a secret is replaced with.</summary>
    public const string Mask = "***";

    // Shorter values ("1", "yes") are too common to hide inside other text; their variables are still masked by name.
    private const int ShortestHiddenValue = 4;

    private readonly string[] _patterns;
    private readonly string[] _values;

    /// <summary>Creates a redactor for the secrets among <paramref name="environments"/>.</summary>
    /// <param name="patterns">Glob patterns of secret variable names (<c>*</c> for any text; case does not matter).</param>
    /// <param name="environments">The environments whose secret values are hidden in text.</param>
    public SecretRedactor(IReadOnlyList<string> patterns, params IReadOnlyDictionary<string, string>[] environments)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        ArgumentNullException.ThrowIfNull(environments);
        _patterns = [.. patterns];
        _values = [.. environments
            .SelectMany(e => e)
            .Where(v => IsSecret(v.Key) && v.Value.Length >= ShortestHiddenValue)
            .Select(v => v.Value)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(v => v.Length)];
    }

    /// <summary>True when a variable of this name holds a secret.</summary>
    public bool IsSecret(string name) => _patterns.Any(p => Matches(p, name));

    /// <summary>
    /// Whether <paramref name="name"/> matches the glob <paramref name="pattern"/> (<c>*</c> for any text, ignoring
    /// case): its parts between stars must appear in order, the first at the start and the last at the end unless a
    /// star stands there.
    /// </summary>
    internal static bool Matches(string pattern, string name)
    {
        var parts = pattern.Split('*');
        var at = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (i == 0)
            {
                if (!name.StartsWith(part, StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }

                at = part.Length;
                continue;
            }

            if (i == parts.Length - 1)
            {
                return name.Length - at >= part.Length && name.EndsWith(part, StringComparison.OrdinalIgnoreCase);
            }

            var found = name.IndexOf(part, at, StringComparison.OrdinalIgnoreCase);
            if (found < 0)
            {
                return false;
            }

            at = found + part.Length;
        }

        // No star: the whole name is the pattern.
        return at == name.Length;
    }

    /// <summary><paramref name="text"/> with every secret value replaced by <see cref="Mask"/>.</summary>
    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var value in _values)
        {
            text = text.Replace(value, Mask, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>Environment changes as they may be recorded: secret variables masked, secrets hidden in the others.</summary>
    public SortedDictionary<string, string?> Redact(IReadOnlyDictionary<string, string?> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var redacted = new SortedDictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in changes)
        {
            redacted[name] = value is null ? null : IsSecret(name) ? Mask : Redact(value);
        }

        return redacted;
    }
}
