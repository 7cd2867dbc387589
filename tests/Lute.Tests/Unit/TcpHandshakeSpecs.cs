using System.Buffers;
using System.Text;
using Lute.Host.Protocol;

namespace Lute.Tests.Unit;

public sealed class TcpHandshakeSpecs
{
    private const string Token = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static readonly byte[] Expected = Encoding.ASCII.GetBytes(Token);

    private static ReadOnlySequence<byte> Frame(string text) => new(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void A_handshake_with_rank_and_host_is_read_and_presents_its_token()
    {
        // Act
        var ok = TcpHandshake.TryParse(Frame($$"""{"v": 1, "token": "{{Token}}", "rank": 3, "host": "node-7"}"""), out var handshake, out var error);

        // Assert
        Assert.True(ok, error);
        Assert.Equal(3, handshake!.Rank);
        Assert.Equal("node-7", handshake.Host);
        Assert.True(handshake.Presents(Expected));
    }

    [Fact]
    public void Version_rank_and_host_are_optional_and_other_fields_are_ignored()
    {
        // Act
        var ok = TcpHandshake.TryParse(Frame($$$"""{"token": "{{{Token}}}", "future": {"x": 1}}"""), out var handshake, out var error);

        // Assert
        Assert.True(ok, error);
        Assert.Null(handshake!.Rank);
        Assert.Null(handshake.Host);
        Assert.True(handshake.Presents(Expected));
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdee")]
    [InlineData("0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("0123456789abcdef")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0")]
    [InlineData("")]
    public void Another_token_is_not_the_runs(string presented)
    {
        // Act
        var ok = TcpHandshake.TryParse(Frame($$"""{"v": 1, "token": "{{presented}}"}"""), out var handshake, out _);

        // Assert
        Assert.True(ok);
        Assert.False(handshake!.Presents(Expected));
    }

    [Theory]
    [InlineData("hello", "not valid JSON")]
    [InlineData("[1, 2]", "a JSON Array, not an object")]
    [InlineData("\"token\"", "a JSON String, not an object")]
    [InlineData("""{"v": 1, "signal": "TASK_LOG", "contents": "no token"}""", "has no \"token\" string")]
    [InlineData("""{"v": 1, "token": 12345}""", "has no \"token\" string")]
    [InlineData("""{"v": 2, "token": "SECRET"}""", "protocol version 2")]
    [InlineData("""{"v": "1", "token": "SECRET"}""", "protocol version \"1\"")]
    [InlineData("""{"token": "SECRET", "rank": -1}""", "\"rank\" is not a whole number from 0")]
    [InlineData("""{"token": "SECRET", "rank": 1.5}""", "\"rank\" is not a whole number from 0")]
    [InlineData("""{"token": "SECRET", "host": 7}""", "\"host\" is not a string")]
    [InlineData("""{"token": "SECRET", """, "not valid JSON")]
    public void A_line_that_is_not_a_handshake_is_refused_with_a_reason_that_never_quotes_the_line(string line, string reason)
    {
        // Act
        var ok = TcpHandshake.TryParse(Frame(line), out var handshake, out var error);

        // Assert
        Assert.False(ok);
        Assert.Null(handshake);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_utf8_is_refused_before_it_is_read()
    {
        // Arrange
        var bytes = Encoding.UTF8.GetBytes("{\"token\": \"ab\"}");
        bytes[11] = 0xFF;

        // Act
        var ok = TcpHandshake.TryParse(new ReadOnlySequence<byte>(bytes), out _, out var error);

        // Assert
        Assert.False(ok);
        Assert.Contains("not valid UTF-8", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_admission_admits_its_own_token_and_refuses_another()
    {
        // Arrange
        var admission = TcpAdmission.Create(TimeSpan.FromSeconds(5));
        var other = TcpAdmission.Create(TimeSpan.FromSeconds(5));

        // Act
        var admitted = admission.TryAdmit(Frame($$"""{"v": 1, "token": "{{admission.Token}}", "rank": 0}"""), out var handshake, out var none);
        var refused = admission.TryAdmit(Frame($$"""{"v": 1, "token": "{{other.Token}}"}"""), out var wrong, out var refusal);

        // Assert
        Assert.True(admitted, none);
        Assert.Equal(0, handshake!.Rank);
        Assert.False(refused);
        Assert.Null(wrong);
        Assert.Equal("its handshake presents a wrong token", refusal);
        Assert.DoesNotContain(other.Token, refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Tokens_are_32_random_bytes_in_hex_and_never_shown()
    {
        // Act
        var tokens = Enumerable.Range(0, 100).Select(_ => TcpAdmission.Create(TimeSpan.FromSeconds(1))).ToList();

        // Assert
        Assert.All(tokens, t => Assert.Matches("^[0-9a-f]{64}$", t.Token));
        Assert.Equal(100, tokens.Select(t => t.Token).Distinct().Count());
        Assert.All(tokens, t => Assert.DoesNotContain(t.Token, t.ToString(), StringComparison.Ordinal));
    }
}
