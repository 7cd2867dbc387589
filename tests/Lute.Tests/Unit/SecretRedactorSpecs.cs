using Lute.Host.Environment;

namespace Lute.Tests.Unit;

public sealed class SecretRedactorSpecs
{
    [Theory]
    [InlineData("*TOKEN*", "LUTE_TOKEN", true)]
    [InlineData("*TOKEN*", "token", true)]
    [InlineData("*TOKEN*", "TOKENIZER_THREADS", true)]
    [InlineData("*TOKEN*", "TOKE", false)]
    [InlineData("FACILITY_*", "FACILITY_CODE", true)]
    [InlineData("FACILITY_*", "MY_FACILITY_CODE", false)]
    [InlineData("*_KEY", "GPG_KEY", true)]
    [InlineData("*_KEY", "GPG_KEYRING", false)]
    [InlineData("DB_*_PASS", "DB_MAIN_PASS", true)]
    [InlineData("DB_*_PASS", "DB_PASS", false)]
    [InlineData("A*B*C", "AxxBxxC", true)]
    [InlineData("A*B*C", "AxxCxxB", false)]
    [InlineData("EXACT", "exact", true)]
    [InlineData("EXACT", "EXACTLY", false)]
    public void Patterns_are_globs_that_ignore_case(string pattern, string name, bool secret) =>
        Assert.Equal(secret, SecretRedactor.Matches(pattern, name));

    [Fact]
    public void Secret_values_are_masked_by_name_and_in_text_and_short_ones_only_by_name()
    {
        var environment = new Dictionary<string, string> { ["API_TOKEN"] = "abcd1234", ["PIN_PASSWORD"] = "42", ["HOME"] = "/root" };
        var redactor = new SecretRedactor(["*TOKEN*", "*PASSWORD*"], environment);

        Assert.Equal("curl -H *** --pin 42 /root", redactor.Redact("curl -H abcd1234 --pin 42 /root"));
        var changes = redactor.Redact(new Dictionary<string, string?> { ["API_TOKEN"] = "abcd1234", ["PIN_PASSWORD"] = "42", ["URL"] = "https://x/?t=abcd1234", ["GONE"] = null });
        Assert.Equal("***", changes["API_TOKEN"]);
        Assert.Equal("***", changes["PIN_PASSWORD"]);
        Assert.Equal("https://x/?t=***", changes["URL"]);
        Assert.Null(changes["GONE"]);
    }
}
