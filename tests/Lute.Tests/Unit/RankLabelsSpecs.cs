using Lute.Host.Protocol;

namespace Lute.Tests.Unit;

public sealed class RankLabelsSpecs
{
    [Theory]
    [InlineData("openmpi", "[1,3]<stdout>:peaks found: 12", 3, "peaks found: 12")]
    [InlineData("openmpi", "[12,0]<stderr>:warning", 0, "warning")]
    [InlineData("mpich", "[2] hello", 2, "hello")]
    [InlineData("srun", "0: step started", 0, "step started")]
    [InlineData("srun", " 7: padded label", 7, "padded label")]
    public void A_labelled_line_gets_its_rank_and_loses_the_label(string format, string line, int rank, string text)
    {
        var (parsedRank, parsedText) = RankLabels.For(format).Parse(line);

        Assert.Equal(rank, parsedRank);
        Assert.Equal(text, parsedText);
    }

    [Theory]
    [InlineData("openmpi", "mpirun noticed that process rank 1 exited")]
    [InlineData("srun", "srun: error: localhost: task 1: Exited with exit code 7")]
    [InlineData("srun", "12:30 is not a label")]
    [InlineData("mpich", "[x] not a rank")]
    [InlineData(null, "0: no format, no rank")]
    public void A_line_without_a_label_keeps_no_rank_and_stays_as_it_is(string? format, string line)
    {
        var (rank, text) = RankLabels.For(format).Parse(line);

        Assert.Null(rank);
        Assert.Equal(line, text);
    }
}
