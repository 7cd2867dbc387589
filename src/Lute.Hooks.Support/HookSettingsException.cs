using Lute.Contracts;

namespace Lute.Hooks.Support;

/// <summary>
/// A hook pack's setting is missing or malformed. Thrown at start (when the host builds the hook), so the run stops
/// before anything is launched; the message names the setting's key and never holds a secret.
/// </summary>
public sealed class HookSettingsException : LuteException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="key">The setting's flattened key, for example <c>http:retries</c>.</param>
    /// <param name="problem">What is wrong with it and what to write instead.</param>
    public HookSettingsException(string key, string problem)
        : base($"setting '{key}' {problem}")
    {
        Key = key;
        Problem = problem;
    }

    /// <summary>The setting's flattened key.</summary>
    public string Key { get; }

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; }
}
