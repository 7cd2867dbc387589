using System.Globalization;
using System.Text.RegularExpressions;

namespace Lute.Host.Protocol;

/// <summary>
/// Reads the rank an MPI or SLURM launcher writes in front of each output line, and removes it. An executor names the
/// format in its details under <see cref="DetailKey"/>: <c>openmpi</c> (<c>[1,3]&lt;stdout&gt;:</c>, mpirun
/// <c>--tag-output</c>), <c>mpich</c> (<c>[3] </c>, mpiexec <c>-prepend-rank</c>) or <c>srun</c> (<c>3: </c>, srun
/// <c>--label</c>). Lines without a label (the launcher's own messages) keep no rank and stay as they are.
/// </summary>
internal sealed partial class RankLabels
{
    /// <summary>The execution detail that names the label format.</summary>
    public const string DetailKey = "output_labels";

    private static readonly RankLabels None = new(null);
    private readonly Regex? _pattern;

    private RankLabels(Regex? pattern) => _pattern = pattern;

    public static RankLabels For(string? format) => format switch
    {
        "openmpi" => new RankLabels(OpenMpi()),
        "mpich" => new RankLabels(Mpich()),
        "srun" => new RankLabels(Srun()),
        _ => None,
    };

    public (int? Rank, string Text) Parse(string line)
    {
        if (_pattern?.Match(line) is { Success: true } match
            && int.TryParse(match.Groups["rank"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var rank))
        {
            return (rank, line[match.Length..]);
        }

        return (null, line);
    }

    [GeneratedRegex(@"^\[\d+,(?<rank>\d+)\]<std(?:out|err|diag)>:", RegexOptions.CultureInvariant)]
    private static partial Regex OpenMpi();

    [GeneratedRegex(@"^\[(?<rank>\d+)\] ", RegexOptions.CultureInvariant)]
    private static partial Regex Mpich();

    [GeneratedRegex(@"^ *(?<rank>\d+): ", RegexOptions.CultureInvariant)]
    private static partial Regex Srun();
}
