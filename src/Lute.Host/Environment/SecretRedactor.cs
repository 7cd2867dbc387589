using System.Text.RegularExpressions;

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

    private readonly Regex[] _patterns;
    private readonly string[] _values;

    /// <summary>Creates a redactor for the secrets among <paramref name="environments"/>.</summary>
    /// <param name="patterns">Glob patterns of secret variable names (<c>*</c> for any text; case does not matter).</param>
    /// <param name="environments">The environments whose secret values are hidden in text.</param>
    public SecretRedactor(IReadOnlyList<string> patterns, params IReadOnlyDictionary<string, string>[] environments)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        ArgumentNullException.ThrowIfNull(environments);
        _patterns = [.. patterns.Select(p => new Regex(
            "^" + Regex.Escape(p).Replace("\\*", ".*", StringComparison.Ordinal) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking))];
        _values = [.. environments
            .SelectMany(e => e)
            .Where(v => IsSecret(v.Key) && v.Value.Length >= ShortestHiddenValue)
            .Select(v => v.Value)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(v => v.Length)];
    }

    /// <summary>True when a variable of this name holds a secret.</summary>
    public bool IsSecret(string name) => _patterns.Any(p => p.IsMatch(name));

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
