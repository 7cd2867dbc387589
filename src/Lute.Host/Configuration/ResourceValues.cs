using System.Globalization;

namespace Lute.Host.Configuration;

/// <summary>
/// Checks the resources whose meaning is the same for every engine (counts of ranks, nodes and CPUs), so that a
/// zero or negative count is bad input naming its place, not a launch failure.
/// </summary>
public static class ResourceValues
{
    private static readonly string[] Counts = ["ntasks", "ntasks-per-node", "cpus-per-task"];

    /// <summary>Checks one resource's value (after its references are rendered).</summary>
    /// <param name="key">The resource's name.</param>
    /// <param name="value">Its value and place.</param>
    /// <exception cref="ConfigurationException">A count is not a whole number above 0.</exception>
    public static void Check(string key, TemplateText value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = value.Text.Trim();
        if (Counts.Contains(key, StringComparer.Ordinal) && !IsCount(text))
        {
            throw new ConfigurationException(
                value.Location, $"resource '{key}' must be a whole number above 0, not '{value.Text}'", $"write a count such as {key}: 4");
        }

        if (key == "nodes")
        {
            var parts = text.Split('-');
            if (parts.Length > 2 || !parts.All(IsCount) || (parts.Length == 2 && Count(parts[0]) > Count(parts[1])))
            {
                throw new ConfigurationException(
                    value.Location, $"resource 'nodes' must be a count above 0 or a range MIN-MAX, not '{value.Text}'", "write a count such as nodes: 2, or a range such as nodes: 2-4");
            }
        }
    }

    private static bool IsCount(string text) => Count(text) > 0;

    private static int Count(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;
}
