using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Lute.Contracts;
using Lute.Host.Protocol;

namespace Lute.Tests.Unit;

public sealed class FrameParserSpecs
{
    private const string Awkward = "quote \" apostrophe ' newline \n tab \t ;;; semicolons nul \u0000 end, backslash \\ Grüße, 東京 😀";

    private static readonly JsonSerializerOptions RawUtf8 = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static ReadOnlySequence<byte> Frame(string json) => new(Encoding.UTF8.GetBytes(json));

    private static (bool Ok, TaskMessage? Message, string? Error) Parse(ReadOnlySequence<byte> frame)
    {
        var ok = FrameParser.TryParse(frame, out var message, out var error);
        return (ok, message, error);
    }

    [Fact]
    public void A_valid_message_is_read_with_rank_host_and_contents()
    {
        // Arrange
        var frame = Frame("""{"v":1,"signal":"TASK_RESULT","rank":3,"host":"node-7","contents":{"accuracy":0.93,"tags":["a","b"]}}""");

        // Act
        var (ok, message, error) = Parse(frame);

        // Assert
        Assert.True(ok, error);
        Assert.Null(error);
        Assert.NotNull(message);
        Assert.Equal(TaskSignals.Result, message.Signal);
        Assert.Equal(3, message.Rank);
        Assert.Equal("node-7", message.Host);
        Assert.Null(message.RequestId);
        Assert.Equal(JsonValueKind.Object, message.Contents.ValueKind);
        Assert.Equal(0.93, message.Contents.GetProperty("accuracy").GetDouble());
        Assert.Equal("b", message.Contents.GetProperty("tags")[1].GetString());
    }

    [Fact]
    public void A_message_without_version_rank_host_or_contents_is_valid()
    {
        // Act
        var (ok, message, error) = Parse(Frame("""{"signal":"TASK_STARTED","rank":null,"host":null}"""));

        // Assert
        Assert.True(ok, error);
        Assert.Equal(TaskSignals.Started, message!.Signal);
        Assert.Null(message.Rank);
        Assert.Null(message.Host);
        Assert.Equal(JsonValueKind.Undefined, message.Contents.ValueKind);
    }

    [Fact]
    public void The_contents_outlive_the_frames_buffer()
    {
        // Arrange
        var bytes = Encoding.UTF8.GetBytes("""{"v":1,"signal":"TASK_LOG","contents":"kept"}""");

        // Act
        var (ok, message, _) = Parse(new ReadOnlySequence<byte>(bytes));
        Array.Clear(bytes);

        // Assert
        Assert.True(ok);
        Assert.Equal("kept", message!.Contents.GetString());
    }

    [Fact]
    public void A_request_with_an_id_is_valid()
    {
        // Act
        var (ok, message, error) = Parse(Frame("""{"v":1,"signal":"TASK_REQUEST","id":9007199254740993,"contents":{"kind":"ask"}}"""));

        // Assert
        Assert.True(ok, error);
        Assert.Equal(9007199254740993L, message!.RequestId);
    }

    [Fact]
    public void A_request_without_an_id_is_rejected()
    {
        // Act
        var (ok, message, error) = Parse(Frame("""{"v":1,"signal":"TASK_REQUEST","contents":{}}"""));

        // Assert
        Assert.False(ok);
        Assert.Null(message);
        Assert.Contains("TASK_REQUEST needs an \"id\"", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"v":2,"signal":"TASK_LOG"}""", "protocol version 2 is not supported")]
    [InlineData("""{"v":0,"signal":"TASK_LOG"}""", "protocol version 0 is not supported")]
    [InlineData("""{"v":"1","signal":"TASK_LOG"}""", "protocol version \"1\" is not supported")]
    [InlineData("""{"v":1.5,"signal":"TASK_LOG"}""", "protocol version 1.5 is not supported")]
    [InlineData("""{"v":null,"signal":"TASK_LOG"}""", "protocol version null is not supported")]
    public void A_wrong_version_is_rejected(string json, string expected)
    {
        // Act
        var (ok, message, error) = Parse(Frame(json));

        // Assert
        Assert.False(ok);
        Assert.Null(message);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[1,2]", "Array")]
    [InlineData("\"TASK_LOG\"", "String")]
    [InlineData("42", "Number")]
    [InlineData("null", "Null")]
    [InlineData("true", "True")]
    public void A_frame_that_is_not_an_object_is_rejected(string json, string kind)
    {
        // Act
        var (ok, message, error) = Parse(Frame(json));

        // Assert
        Assert.False(ok);
        Assert.Null(message);
        Assert.Equal($"a message must be a JSON object, not {kind}", error);
    }

    [Theory]
    [InlineData("", "not valid JSON")]
    [InlineData("{", "not valid JSON")]
    [InlineData("""{"signal":"TASK_LOG",}""", "not valid JSON")]
    [InlineData("""{"signal":"TASK_LOG"} trailing""", "not valid JSON")]
    [InlineData("""{"v":1}""", "needs a \"signal\" string")]
    [InlineData("""{"v":1,"signal":7}""", "needs a \"signal\" string")]
    [InlineData("""{"v":1,"signal":"TASK_LOG","rank":-1}""", "\"rank\" must be a whole number from 0")]
    [InlineData("""{"v":1,"signal":"TASK_LOG","rank":1.5}""", "\"rank\" must be a whole number from 0")]
    [InlineData("""{"v":1,"signal":"TASK_LOG","rank":"0"}""", "\"rank\" must be a whole number from 0")]
    [InlineData("""{"v":1,"signal":"TASK_LOG","host":5}""", "\"host\" must be a string")]
    [InlineData("""{"v":1,"signal":"TASK_REQUEST","id":"7"}""", "\"id\" must be a whole number")]
    [InlineData("""{"v":1,"signal":"TASK_REQUEST","id":1e400}""", "\"id\" must be a whole number")]
    public void A_malformed_frame_is_rejected_with_the_reason(string json, string reason)
    {
        // Act
        var (ok, message, error) = Parse(Frame(json));

        // Assert
        Assert.False(ok);
        Assert.Null(message);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    public static TheoryData<string, byte[]> InvalidUtf8Frames => new()
    {
        { "before the object", [0xFF, 0xFE, .. "{\"signal\":\"TASK_LOG\"}"u8] },
        { "in the signal", [.. "{\"v\":1,\"signal\":\"TASK_"u8, 0xFF, .. "\"}"u8] },
        { "in the host", [.. "{\"v\":1,\"signal\":\"TASK_LOG\",\"host\":\"n"u8, 0xC3, 0x28, .. "\"}"u8] },
        { "in the contents", [.. "{\"v\":1,\"signal\":\"TASK_LOG\",\"contents\":\"bad "u8, 0xE6, 0x9D, .. " end\"}"u8] },
        { "an overlong encoding in the contents", [.. "{\"v\":1,\"signal\":\"TASK_LOG\",\"contents\":\""u8, 0xC0, 0xAF, .. "\"}"u8] },
    };

    [Theory]
    [MemberData(nameof(InvalidUtf8Frames))]
    public void Invalid_utf8_is_rejected_without_an_exception(string where, byte[] bytes)
    {
        // Act
        var exception = Record.Exception(() => Parse(new ReadOnlySequence<byte>(bytes)));

        // Assert
        Assert.True(exception is null, $"invalid UTF-8 {where}: TryParse threw {exception}");
        var (ok, message, error) = Parse(new ReadOnlySequence<byte>(bytes));
        Assert.False(ok, $"invalid UTF-8 {where} was accepted as a valid message");
        Assert.Null(message);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Theory]
    [InlineData(65)]
    [InlineData(1000)]
    [InlineData(100_000)]
    public void Deeply_nested_json_is_rejected_without_an_exception(int depth)
    {
        // Arrange
        var json = "{\"v\":1,\"signal\":\"TASK_LOG\",\"contents\":" + new string('[', depth) + new string(']', depth) + "}";

        // Act
        var exception = Record.Exception(() => Parse(Frame(json)));
        var (ok, message, error) = Parse(Frame(json));

        // Assert
        Assert.Null(exception);
        Assert.False(ok);
        Assert.Null(message);
        Assert.Contains("not valid JSON", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_within_the_limit_is_accepted()
    {
        // Arrange: the root object is one level, so 63 arrays reach the depth of 64.
        var json = "{\"v\":1,\"signal\":\"TASK_LOG\",\"contents\":" + new string('[', 63) + new string(']', 63) + "}";

        // Act
        var (ok, _, error) = Parse(Frame(json));

        // Assert
        Assert.True(ok, error);
    }

    [Fact]
    public void Awkward_text_contents_round_trip_exactly_from_escaped_json()
    {
        // Arrange: the default encoder escapes quotes, control characters and every non-ASCII character.
        var json = JsonSerializer.Serialize(new Dictionary<string, object> { ["v"] = 1, ["signal"] = "TASK_LOG", ["contents"] = Awkward });

        // Act
        var (ok, message, error) = Parse(Frame(json));

        // Assert
        Assert.True(ok, error);
        Assert.Equal(Awkward, message!.Contents.GetString());
    }

    [Fact]
    public void Awkward_text_contents_round_trip_exactly_from_raw_utf8_json()
    {
        // Arrange: non-ASCII written as raw UTF-8 bytes, only what JSON requires escaped.
        var json = JsonSerializer.Serialize(new Dictionary<string, object> { ["v"] = 1, ["signal"] = "TASK_LOG", ["contents"] = new Dictionary<string, string> { [Awkward] = Awkward } }, RawUtf8);
        Assert.Contains("東京", json, StringComparison.Ordinal);

        // Act
        var (ok, message, error) = Parse(Frame(json));

        // Assert
        Assert.True(ok, error);
        var property = Assert.Single(message!.Contents.EnumerateObject());
        Assert.Equal(Awkward, property.Name);
        Assert.Equal(Awkward, property.Value.GetString());
    }

    [Fact]
    public void Awkward_text_round_trips_from_a_frame_split_across_segments_inside_a_character()
    {
        // Arrange
        var bytes = Encoding.UTF8.GetBytes("{\"signal\":\"TASK_LOG\",\"host\":\"Grüße\",\"contents\":\"東京\"}");
        var cut = Encoding.UTF8.GetByteCount("{\"signal\":\"TASK_LOG\",\"host\":\"Gr") + 1; // inside 'ü'
        var cut2 = Encoding.UTF8.GetByteCount("{\"signal\":\"TASK_LOG\",\"host\":\"Grüße\",\"contents\":\"") + 2; // inside '東'
        var frame = Segment.Sequence(bytes[..cut], bytes[cut..cut2], bytes[cut2..]);

        // Act
        var (ok, message, error) = Parse(frame);

        // Assert
        Assert.False(frame.IsSingleSegment);
        Assert.True(ok, error);
        Assert.Equal("Grüße", message!.Host);
        Assert.Equal("東京", message.Contents.GetString());
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        private Segment(byte[] bytes, long runningIndex)
        {
            Memory = bytes;
            RunningIndex = runningIndex;
        }

        public static ReadOnlySequence<byte> Sequence(params byte[][] parts)
        {
            var first = new Segment(parts[0], 0);
            var last = first;
            foreach (var part in parts.Skip(1))
            {
                var next = new Segment(part, last.RunningIndex + last.Memory.Length);
                last.Next = next;
                last = next;
            }

            return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
        }
    }
}
