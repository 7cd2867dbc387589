using System.ComponentModel.DataAnnotations;
using Lute.Contracts;
using Lute.Hooks.Support;
using Microsoft.Extensions.Configuration;

namespace Lute.Tests.Unit;

public sealed class HookSettingsSpecs : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("lute-settings-specs-");

    public void Dispose() => _folder.Delete(recursive: true);

    private static PluginSettings Settings(params (string Key, string Value)[] values) =>
        new(values.ToDictionary(v => v.Key, v => v.Value));

    [Fact]
    public void Settings_bind_by_their_yaml_keys_with_durations_lists_and_nested_maps()
    {
        var options = HookSettings.Bind<SampleOptions>(Settings(
            ("base_url", "https://elog.example/lgbk"),
            ("tags:0", "lute"),
            ("tags:1", "sfx"),
            ("http:attempt_timeout", "750ms"),
            ("http:total_timeout", "2m"),
            ("http:retries", "4")));

        Assert.Equal("https://elog.example/lgbk", options.BaseUrl);
        Assert.Equal(["lute", "sfx"], options.Tags);
        Assert.Equal(TimeSpan.FromMilliseconds(750), options.Http.AttemptTimeout.Value);
        Assert.Equal(TimeSpan.FromMinutes(2), options.Http.TotalTimeout.Value);
        Assert.Equal(4, options.Http.Retries);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.Http.RetryDelay.Value);
    }

    [Theory]
    [InlineData("http:retries", "11", "setting 'http:retries' must be between 0 and 10")]
    [InlineData("http:attempt_timeout", "20s", "setting 'http:total_timeout' must be at least attempt_timeout")]
    [InlineData("http:retries", "3.5", "setting 'http:retries' must be a whole number, not '3.5'")]
    [InlineData("base_url", "elog.example", "setting 'base_url' must be an absolute http or https URL")]
    [InlineData("bsae_url", "https://elog.example", "setting 'bsae_url' is not a known setting; known here: base_url, tags, token, http")]
    [InlineData("http:timeout", "5s", "setting 'http:timeout' is not a known setting; known here: attempt_timeout, retries, retry_delay")]
    [InlineData("tags", "lute", "setting 'tags' must be a list or a map, not a single value")]
    public void A_wrong_setting_is_refused_with_a_message_naming_its_key(string key, string value, string message)
    {
        var settings = new Dictionary<string, string> { ["base_url"] = "https://elog.example", [key] = value };

        var error = Assert.Throws<HookSettingsException>(() => HookSettings.Bind<SampleOptions>(new PluginSettings(settings)));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_required_setting_is_named()
    {
        var error = Assert.Throws<HookSettingsException>(() => HookSettings.Bind<SampleOptions>(PluginSettings.Empty));

        Assert.Equal("base_url", error.Key);
        Assert.Equal("setting 'base_url' is required", error.Message);
    }

    [Fact]
    public void Secrets_come_from_an_environment_variable_or_a_file_and_never_show_themselves()
    {
        var file = Path.Combine(_folder.FullName, "token");
        File.WriteAllText(file, "file-secret-77\n");
        System.Environment.SetEnvironmentVariable("LUTE_SETTINGS_SPECS_TOKEN", "env-secret-88");
        try
        {
            var fromFile = HookSettings.Bind<SampleOptions>(Settings(("base_url", "https://e.example"), ("token:file", file))).Token!.Read("token");
            var fromEnv = HookSettings.Bind<SampleOptions>(Settings(("base_url", "https://e.example"), ("token:env", "LUTE_SETTINGS_SPECS_TOKEN"))).Token!.Read("token");

            Assert.Equal("file-secret-77", fromFile.Value);
            Assert.Equal("env-secret-88", fromEnv.Value);
            Assert.Equal("***", fromEnv.ToString());
        }
        finally
        {
            System.Environment.SetEnvironmentVariable("LUTE_SETTINGS_SPECS_TOKEN", null);
        }
    }

    [Fact]
    public void A_secret_written_in_the_settings_is_refused_without_repeating_it()
    {
        var error = Assert.Throws<HookSettingsException>(() => HookSettings.Bind<SampleOptions>(Settings(("base_url", "https://e.example"), ("token", "hunter2-literal"))));

        Assert.Equal("token", error.Key);
        Assert.Contains("never hold the secret itself", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-literal", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_secret_source_that_is_empty_or_missing_is_named()
    {
        var missingFile = Path.Combine(_folder.FullName, "absent");
        var options = HookSettings.Bind<SampleOptions>(Settings(("base_url", "https://e.example"), ("token:file", missingFile)));

        var error = Assert.Throws<HookSettingsException>(() => options.Token!.Read("token"));

        Assert.StartsWith($"setting 'token' names the file {missingFile}, which cannot be read", error.Message, StringComparison.Ordinal);
    }

    internal sealed class SampleOptions
    {
        [ConfigurationKeyName("base_url")]
        [Required]
        [HttpUrl]
        public string? BaseUrl { get; set; }

        public List<string> Tags { get; set; } = [];

        public SecretSource? Token { get; set; }

        public HttpDeliveryOptions Http { get; set; } = new();
    }
}
