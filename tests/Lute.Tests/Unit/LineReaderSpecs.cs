using System.Text;
using Lute.Host.Protocol;

namespace Lute.Tests.Unit;

public sealed class LineReaderSpecs
{
    private const int Max = 1000;

    private sealed record Reading(List<string> Lines, List<long> Oversized);

    private static async Task<Reading> ReadAsync(string text, int maxBytes = Max, bool drop = false) =>
        await ReadAsync(Encoding.UTF8.GetBytes(text), maxBytes, drop);

    private static async Task<Reading> ReadAsync(byte[] data, int maxBytes = Max, bool drop = false)
    {
        var lines = new List<string>();
        var oversized = new List<long>();
        using var stream = new MemoryStream(data);
        await LineReader.ReadAsync(
            stream,
            maxBytes,
            drop ? OversizedLines.Drop : OversizedLines.Split,
            line =>
            {
                lines.Add(Encoding.UTF8.GetString(line));
                return ValueTask.CompletedTask;
            },
            oversized.Add,
            CancellationToken.None);
        return new Reading(lines, oversized);
    }

    /// <summary>A recognisable text of <paramref name="length"/> ASCII letters without line breaks.</summary>
    private static string Long(int length, char salt = 'a') =>
        string.Create(length, salt, (span, first) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)('a' + ((first - 'a' + i + (i / 26)) % 26));
            }
        });

    [Fact]
    public async Task Lines_are_split_on_newline_with_crlf_trimmed_and_the_last_line_delivered()
    {
        // Act
        var reading = await ReadAsync("one\ntwo\r\n\nthree\r\nlast without newline");

        // Assert
        Assert.Equal(["one", "two", "", "three", "last without newline"], reading.Lines);
        Assert.Empty(reading.Oversized);
    }

    [Fact]
    public async Task A_final_newline_does_not_add_an_empty_line()
    {
        // Act
        var reading = await ReadAsync("a\nb\n");

        // Assert
        Assert.Equal(["a", "b"], reading.Lines);
    }

    [Fact]
    public async Task An_empty_stream_delivers_nothing()
    {
        // Act
        var reading = await ReadAsync(string.Empty);

        // Assert
        Assert.Empty(reading.Lines);
        Assert.Empty(reading.Oversized);
    }

    [Fact]
    public async Task A_lone_carriage_return_inside_a_line_is_kept()
    {
        // Act
        var reading = await ReadAsync("progress 10%\rprogress 20%\n");

        // Assert
        Assert.Equal(["progress 10%\rprogress 20%"], reading.Lines);
    }

    [Fact]
    public async Task A_line_of_exactly_the_limit_is_one_line()
    {
        // Arrange
        var line = Long(Max);

        // Act
        var split = await ReadAsync(line + "\n" + line);
        var dropped = await ReadAsync(line + "\n" + line, drop: true);

        // Assert
        Assert.Equal([line, line], split.Lines);
        Assert.Equal([line, line], dropped.Lines);
        Assert.Empty(dropped.Oversized);
    }

    [Theory]
    [InlineData(5_000)]
    [InlineData(5_001)]
    [InlineData(300_000)]
    public async Task Split_delivers_a_long_line_in_pieces_that_join_to_the_original(int length)
    {
        // Arrange
        var line = Long(length);

        // Act
        var reading = await ReadAsync($"before\n{line}\r\nafter\n");

        // Assert
        Assert.Equal("before", reading.Lines[0]);
        Assert.Equal("after", reading.Lines[^1]);
        var pieces = reading.Lines[1..^1];
        Assert.All(pieces, piece => Assert.InRange(piece.Length, 1, Max));
        Assert.Equal(line, string.Concat(pieces));
        Assert.Equal((length + Max - 1) / Max, pieces.Count);
        Assert.Empty(reading.Oversized);
    }

    [Theory]
    [InlineData(5_000)]
    [InlineData(300_000)]
    public async Task Split_delivers_a_long_last_line_without_newline_in_pieces(int length)
    {
        // Arrange
        var line = Long(length);

        // Act
        var reading = await ReadAsync($"first\n{line}");

        // Assert
        Assert.Equal("first", reading.Lines[0]);
        var pieces = reading.Lines[1..];
        Assert.All(pieces, piece => Assert.InRange(piece.Length, 1, Max));
        Assert.Equal(line, string.Concat(pieces));
    }

    [Theory]
    [InlineData(5_000)]
    [InlineData(300_000)]
    public async Task Drop_skips_an_oversized_line_reports_it_once_and_keeps_the_following_lines(int length)
    {
        // Arrange
        var text = $"short one\n{Long(length)}\nshort two\r\nshort three";

        // Act
        var reading = await ReadAsync(text, drop: true);

        // Assert
        Assert.Equal(["short one", "short two", "short three"], reading.Lines);
        Assert.Equal([(long)length], reading.Oversized);
    }

    [Theory]
    [InlineData(5_000)]
    [InlineData(300_000)]
    public async Task Drop_reports_an_oversized_last_line_without_newline_once(int length)
    {
        // Act
        var reading = await ReadAsync($"kept\n{Long(length)}", drop: true);

        // Assert
        Assert.Equal(["kept"], reading.Lines);
        Assert.Equal([(long)length], reading.Oversized);
    }

    [Theory]
    [InlineData(5_000, 7_000)]
    [InlineData(200_000, 150_000)]
    public async Task Drop_reports_each_oversized_line_with_its_own_length(int first, int second)
    {
        // Arrange
        var text = $"a\n{Long(first)}\nb\n{Long(second, 'k')}\nc\n";

        // Act
        var reading = await ReadAsync(text, drop: true);

        // Assert
        Assert.Equal(["a", "b", "c"], reading.Lines);
        Assert.Equal([(long)first, (long)second], reading.Oversized);
    }

    [Fact]
    public async Task A_hundred_thousand_lines_are_all_delivered_in_order()
    {
        // Arrange
        const int count = 100_000;
        var builder = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            builder.Append("line ").Append(i).Append(i % 3 == 0 ? "\r\n" : "\n");
        }

        // Act
        var reading = await ReadAsync(builder.ToString(), drop: true);

        // Assert
        Assert.Equal(count, reading.Lines.Count);
        for (var i = 0; i < count; i++)
        {
            Assert.Equal($"line {i}", reading.Lines[i]);
        }
    }

    [Fact]
    public async Task Multibyte_text_arrives_intact_when_lines_fit()
    {
        // Act
        var reading = await ReadAsync("Grüße, 東京\n😀 ;;; \"'\n");

        // Assert
        Assert.Equal(["Grüße, 東京", "😀 ;;; \"'"], reading.Lines);
    }

    [Fact]
    public async Task The_stream_is_left_open()
    {
        // Arrange
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("x\n"));

        // Act
        await LineReader.ReadAsync(stream, Max, OversizedLines.Split, _ => ValueTask.CompletedTask, null, CancellationToken.None);

        // Assert
        Assert.True(stream.CanRead);
    }

    [Fact]
    public async Task A_cancelled_token_stops_reading()
    {
        // Arrange
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("x\n"));
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        // Act / Assert
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => LineReader.ReadAsync(stream, Max, OversizedLines.Split, _ => ValueTask.CompletedTask, null, cancellation.Token));
    }

    [Fact]
    public async Task Split_never_cuts_a_multi_byte_character()
    {
        // Arrange: 3-byte characters, so a cut every 10 bytes would fall inside one.
        var text = string.Concat(Enumerable.Repeat("東", 100));

        // Act
        var reading = await ReadAsync(text + "\n", maxBytes: 10);

        // Assert
        Assert.All(reading.Lines, piece => Assert.DoesNotContain('\uFFFD', piece));
        Assert.All(reading.Lines, piece => Assert.True(Encoding.UTF8.GetByteCount(piece) <= 10));
        Assert.Equal(text, string.Concat(reading.Lines));
    }

    [Fact]
    public async Task A_last_line_ending_in_carriage_return_without_newline_is_trimmed()
    {
        // Act
        var reading = await ReadAsync("first\r\nlast\r");

        // Assert
        Assert.Equal(["first", "last"], reading.Lines);
    }
}
