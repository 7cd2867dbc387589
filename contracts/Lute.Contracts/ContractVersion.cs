namespace Lute.Contracts;

/// <summary>
/// The version of these contracts. A plugin is built against one version; the host refuses a plugin whose
/// major version differs from <see cref="Major"/>. The assembly version of Lute.Contracts carries the same numbers.
/// </summary>
public static class ContractVersion
{
    /// <summary>Major version: changes when a contract changes in a way that breaks plugins.</summary>
    public const int Major = 1;

    /// <summary>Minor version: changes when a contract gains members or types without breaking plugins.</summary>
    public const int Minor = 3;

    /// <summary>The version as text, for example <c>1.0</c>.</summary>
    public static string Text => $"{Major}.{Minor}";
}
