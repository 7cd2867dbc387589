using Lute.Contracts;

namespace Lute.Host.Configuration;

/// <summary>
/// A configuration file (plugins.yaml or a task file) is not valid. The message is one line of the form
/// <c>FILE:LINE:COLUMN: PROBLEM; fix: FIX</c>: where, what is wrong, and what to write instead.
/// </summary>
public sealed class ConfigurationException : LuteException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="location">Where the problem is.</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="fix">What to write instead.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public ConfigurationException(SourceLocation location, string problem, string fix, Exception? innerException = null)
        : base($"{location}: {OneLine(problem)}; fix: {OneLine(fix)}", innerException)
    {
        Location = location;
        Problem = OneLine(problem);
        Fix = OneLine(fix);
    }

    /// <summary>Where the problem is.</summary>
    public SourceLocation Location { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }

    /// <summary>What to write instead.</summary>
    public string Fix { get; }

    /// <summary>Values quoted from a file may hold line breaks; a message stays one line.</summary>
    private static string OneLine(string text) =>
        text.Contains('\n', StringComparison.Ordinal) || text.Contains('\r', StringComparison.Ordinal)
            ? text.Replace("\r\n", "\\n", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal)
            : text;
}
