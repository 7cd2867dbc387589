using System.Text.RegularExpressions;
using Lute.Contracts;

namespace Lute.Executors.Slurm;

/// <summary>What the slurm-srun executor accepts as a task's resources: the keys it maps to srun options, and the forms of their values SLURM reads.</summary>
internal static partial class SrunResources
{
    private static readonly string[] Counts = ["ntasks", "ntasks-per-node", "cpus-per-task"];

    private static readonly string[] Names = ["partition", "account", "qos"];

    /// <summary>The problems of the task's resources, by SLURM's rules for each option.</summary>
    public static IReadOnlyList<ResourceProblem> Check(IReadOnlyDictionary<string, string> resources)
    {
        var known = SrunExecutor.Options.Keys.Append(SrunExecutor.ExtraArguments).ToList();
        var problems = ResourceRules.Unknown(resources, known, "slurm-srun", $"the slurm-srun executor takes {string.Join(", ", known)}").ToList();
        foreach (var (key, raw) in resources.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            if (!known.Contains(key, StringComparer.Ordinal) || key == SrunExecutor.ExtraArguments)
            {
                continue;
            }

            var value = raw.Trim();
            if (value.Length == 0 || raw.Contains('\n', StringComparison.Ordinal) || raw.Contains('\r', StringComparison.Ordinal))
            {
                problems.Add(new ResourceProblem(key, $"needs a value on one line, not '{raw}'", $"write one value, such as {Example(key)}"));
            }
            else if (Problem(key, value) is { } problem)
            {
                problems.Add(new ResourceProblem(key, $"{problem}, not '{raw}'", $"write {Example(key)}"));
            }
        }

        return problems;
    }

    private static string? Problem(string key, string value) => key switch
    {
        _ when Counts.Contains(key, StringComparer.Ordinal) => ResourceRules.IsCount(value) ? null : "must be a whole number above 0",
        "nodes" => NodesForm().IsMatch(value) && NodeRangeInOrder(value) ? null : "must be a count above 0 or a range MIN-MAX",
        "time" => TimeForm().IsMatch(value) ? null : "must be a SLURM time: MINUTES, MINUTES:SECONDS, HOURS:MINUTES:SECONDS, DAYS-HOURS[:MINUTES[:SECONDS]] or UNLIMITED",
        "mem" => MemoryForm().IsMatch(value) ? null : "must be a size in megabytes, or with a unit K, M, G or T",
        "gpus" => GpusForm().IsMatch(value) ? null : "must be a count, or TYPE:COUNT",
        _ when Names.Contains(key, StringComparer.Ordinal) => value.Any(char.IsWhiteSpace) ? "must be one name (a comma-separated list for several), without spaces" : null,
        _ => null,
    };

    private static bool NodeRangeInOrder(string value)
    {
        var parts = value.Split('-');
        return parts.All(ResourceRules.IsCount) && (parts.Length == 1 || int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) <= int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static string Example(string key) => key switch
    {
        "nodes" => "nodes: 2 or nodes: 2-4",
        "time" => "time: 30 (minutes), time: 1:30:00 or time: 1-12",
        "mem" => "mem: 4G",
        "gpus" => "gpus: 2 or gpus: a100:2",
        "partition" => "partition: debug",
        _ when Counts.Contains(key, StringComparer.Ordinal) => $"{key}: 4",
        _ => $"{key}: VALUE",
    };

    [GeneratedRegex("^[0-9]+(-[0-9]+)?$")]
    private static partial Regex NodesForm();

    [GeneratedRegex("^([0-9]+|[0-9]+:[0-9]+|[0-9]+:[0-9]+:[0-9]+|[0-9]+-[0-9]+|[0-9]+-[0-9]+:[0-9]+|[0-9]+-[0-9]+:[0-9]+:[0-9]+|(?i:unlimited|infinite))$")]
    private static partial Regex TimeForm();

    [GeneratedRegex("^[0-9]+[KMGTkmgt]?$")]
    private static partial Regex MemoryForm();

    [GeneratedRegex("^([A-Za-z0-9_.-]+:)?[0-9]+$")]
    private static partial Regex GpusForm();
}
