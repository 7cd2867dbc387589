using Lute.Contracts;
using Lute.Host.Protocol;

namespace Lute.Tests.Unit;

public sealed class RankLabelsSpecs
{
    [Theory]
    [InlineData(RankLabelFormat.OpenMpi, "[1,3]<stdout>:peaks found: 12", 3, "peaks found: 12")]
    [InlineData(RankLabelFormat.OpenMpi, "[12,0]<stderr>:warning", 0, "warning")]
    [InlineData(RankLabelFormat.Mpich, "[2] hello", 2, "hello")]
    [InlineData(RankLabelFormat.Srun, "0: step started", 0, "step started")]
    [InlineData(RankLabelFormat.Srun, " 7: padded label", 7, "padded label")]
    public void A_labelled_line_gets_its_rank_and_loses_the_label(RankLabelFormat format, string line, int rank, string text)
    {
        var (parsedRank, parsedText) = RankLabels.For(format).Parse(line);

        Assert.Equal(rank, parsedRank);
        Assert.Equal(text, parsedText);
    }

    [Theory]
    [InlineData(RankLabelFormat.OpenMpi, "mpirun noticed that process rank 1 exited")]
    [InlineData(RankLabelFormat.Srun, "srun: error: localhost: task 1: Exited with exit code 7")]
    [InlineData(RankLabelFormat.Srun, "12:30 is not a label")]
    [InlineData(RankLabelFormat.Mpich, "[x] not a rank")]
    [InlineData(RankLabelFormat.None, "0: no format, no rank")]
    public void A_line_without_a_label_keeps_no_rank_and_stays_as_it_is(RankLabelFormat format, string line)
    {
        var (rank, text) = RankLabels.For(format).Parse(line);

        Assert.Null(rank);
        Assert.Equal(line, text);
    }

    [Fact]
    public void An_execution_that_does_not_say_it_labels_ranks_has_its_lines_read_as_they_are()
    {
        var plain = new Moq.Mock<IExecution>(Moq.MockBehavior.Strict).Object;
        var labelled = new Moq.Mock<IRankLabelledExecution>(Moq.MockBehavior.Strict);
        labelled.Setup(e => e.RankLabels).Returns(RankLabelFormat.Srun);

        Assert.Equal(((int?)null, "3: hello"), RankLabels.Of(plain).Parse("3: hello"));
        Assert.Equal(((int?)3, "hello"), RankLabels.Of(labelled.Object).Parse("3: hello"));
        labelled.VerifyGet(e => e.RankLabels, Moq.Times.Once());
    }
}
