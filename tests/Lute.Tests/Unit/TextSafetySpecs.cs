using System.Text.Json;
using Lute.Host.Logging;
using Lute.Host.Store;

namespace Lute.Tests.Unit;

/// <summary>Task text on a console or log line, and the store's JSON.</summary>
public sealed class TextSafetySpecs
{
    public static TheoryData<string, string> HostileLines => new()
    {
        { "ok\n[runner] Run 99 ended COMPLETED", "ok\\n[runner] Run 99 ended COMPLETED" },
        { "progress 10%\r[runner] forged", "progress 10%\\r[runner] forged" },
        { "\u001b[2Kerased line", "\\x1B[2Kerased line" },
        { "\u001b[31mred\u001b[0m", "\\x1B[31mred\\x1B[0m" },
        { "\u001b[1A\u001b[Gcursor up", "\\x1B[1A\\x1B[Gcursor up" },
        { "nul\0byte", "nul\\0byte" },
        { "bell\u0007 backspace\b", "bell\\x07 backspace\\x08" },
        { "del\u007f c1\u009b", "del\\x7F c1\\x9B" },
        { "line\u2028separator", "line\\u2028separator" },
        { "abc\u202Eevil", "abc\\u202Eevil" },
    };

    [Theory]
    [MemberData(nameof(HostileLines))]
    public void Control_characters_in_task_text_are_written_as_visible_escapes(string text, string expected)
    {
        var escaped = ControlCharacters.Escape(text);

        Assert.Equal(expected, escaped);
        Assert.DoesNotContain(escaped, c => char.IsControl(c));
        Assert.True(ControlCharacters.NeedsEscaping(text));
    }

    [Theory]
    [InlineData("plain text")]
    [InlineData("tab\tseparated\tcolumns")]
    [InlineData("Grüße, 日本語, 🚀 and 'quotes'")]
    public void Ordinary_text_and_tabs_stay_as_they_are_and_the_same_instance_is_returned(string text)
    {
        Assert.Same(text, ControlCharacters.Escape(text));
        Assert.False(ControlCharacters.NeedsEscaping(text));
    }

    [Fact]
    public void Stored_json_keeps_apostrophes_non_ascii_and_emoji_readable_and_escapes_only_what_it_must()
    {
        var value = new Dictionary<string, string> { ["note"] = "it's 🚀 café <b>&\"\\\n\u001b" };

        var json = JsonSerializer.Serialize(value, HostJson.Stored.DictionaryStringString);

        Assert.Equal("{\"note\":\"it's 🚀 café <b>&\\\"\\\\\\n\\u001B\"}", json);
        Assert.Equal(value, JsonSerializer.Deserialize(json, HostJson.Stored.DictionaryStringString));
    }

    [Fact]
    public void A_payload_sent_with_escapes_is_stored_as_readable_text()
    {
        using var sent = JsonDocument.Parse("""{"name":"caf\u00e9 \ud83d\ude80","quote":"\u0027"}""");

        var stored = JsonSerializer.Serialize(sent.RootElement, HostJson.Stored.JsonElement);

        Assert.Equal("""{"name":"café 🚀","quote":"'"}""", stored);
    }
}
