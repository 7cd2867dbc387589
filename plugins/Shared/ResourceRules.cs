using System.Globalization;
using Lute.Contracts;

namespace Lute.Executors;

/// <summary>The checks the shipped executors share for <see cref="IResourceCheck"/>, and the launch failure they make of a problem.</summary>
internal static class ResourceRules
{
    /// <summary>A problem for every resource the executor does not take, in name order.</summary>
    public static IEnumerable<ResourceProblem> Unknown(IReadOnlyDictionary<string, string> resources, IReadOnlyCollection<string> known, string executor, string fix) =>
        resources.Keys.Where(k => !known.Contains(k, StringComparer.Ordinal)).Order(StringComparer.Ordinal)
            .Select(k => new ResourceProblem(k, "is not a resource this executor takes", fix));

    /// <summary>A problem when the resource is present and not a whole number above zero.</summary>
    public static ResourceProblem? Count(IReadOnlyDictionary<string, string> resources, string key) =>
        resources.TryGetValue(key, out var value) && !IsCount(value.Trim())
            ? new ResourceProblem(key, $"must be a whole number above 0, not '{value}'", $"write a count such as {key}: 4")
            : null;

    /// <summary>True for a whole number above zero, digits only.</summary>
    public static bool IsCount(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0;

    /// <summary>The launch failure for the first problem, when a host launches without asking first.</summary>
    public static void ThrowIfAny(IReadOnlyList<ResourceProblem> problems, string program)
    {
        if (problems.Count > 0)
        {
            var first = problems[0];
            throw new LaunchException(program, $"resource '{first.Resource}': {first.Problem}; fix: {first.Fix}");
        }
    }
}
