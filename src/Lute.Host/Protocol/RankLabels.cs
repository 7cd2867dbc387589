using System.Globalization;
using System.Text.RegularExpressions;
using Lute.Contracts;

namespace Lute.Host.Protocol;

/// <summary>
/// Reads the rank an MPI or SLURM launcher writes in front of each output line, and removes it. An execution names the
/// format as an <see cref="IRankLabelledExecution"/> (contracts 1.2): Open MPI (<c>[1,3]&lt;stdout&gt;:</c>, mpirun
/// <c>--tag-output</c>), MPICH (<c>[3] </c>, mpiexec <c>-prepend-rank</c>) or srun (<c>3: </c>, srun <c>--label</c>).
/// Lines without a label (the launcher's own messages) keep no rank and stay as they are.
/// </summary>
internal sealed partial class RankLabels
{
    private static readonly RankLabels None = new(null);
    private readonly Regex? _pattern;

    private RankLabels(Regex? pattern) => _pattern = pattern;

    public static RankLabels For(RankLabelFormat format) => format switch
    {
        RankLabelFormat.OpenMpi => new RankLabels(OpenMpi()),
        RankLabelFormat.Mpich => new RankLabels(Mpich()),
        RankLabelFormat.Srun => new RankLabels(Srun()),
        _ => None,
    };

    /// <summary>The labels of an execution's output: none unless it says it has some.</summary>
    public static RankLabels Of(IExecution execution) =>
        For(execution is IRankLabelledExecution labelled ? labelled.RankLabels : RankLabelFormat.None);

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
