namespace Lute.Host.Configuration;

/// <summary>Task names as LUTE stores them.</summary>
public static class TaskNames
{
    /// <summary>
    /// The base name of a numbered copy of a task (<c>Index_01</c> is a copy of <c>Index</c>): the name less a final
    /// <c>_</c> and digits. LUTE records copies under the base name; lute keeps the full name beside it.
    /// </summary>
    public static string Base(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var digits = name.Length;
        while (digits > 0 && char.IsAsciiDigit(name[digits - 1]))
        {
            digits--;
        }

        return digits < name.Length && digits > 1 && name[digits - 1] == '_' ? name[..(digits - 1)] : name;
    }
}
