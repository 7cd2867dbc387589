using Lute.Contracts;

namespace Lute.Host.Configuration;

/// <summary>A configuration file (plugins.yaml or a task file) is not valid. The message names the place.</summary>
public sealed class ConfigurationException : LuteException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="location">Where the problem is.</param>
    /// <param name="problem">What is wrong and how to fix it.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public ConfigurationException(SourceLocation location, string problem, Exception? innerException = null)
        : base($"{location}: {problem}", innerException)
    {
        Location = location;
        Problem = problem;
    }

    /// <summary>Where the problem is.</summary>
    public SourceLocation Location { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }
}
