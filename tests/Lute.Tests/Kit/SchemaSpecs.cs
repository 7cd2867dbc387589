using System.Text.Json;
using Lute.Contracts;
using Lute.Host.Configuration;
using Lute.Tests.Integration;
using Lute.Tests.Support;

namespace Lute.Tests.Kit;

/// <summary>The JSON Schemas lute ships know exactly the keys lute reads, and <c>lute schema</c> prints them.</summary>
[Collection(ProcessCollection.Name)]
public sealed class SchemaSpecs
{
    [Fact]
    public void The_task_schema_has_exactly_the_keys_the_task_file_loader_reads()
    {
        var schema = Schema("task");
        var defs = schema.GetProperty("$defs");

        AssertKeys(TaskFileLoader.FileKeys, schema.GetProperty("properties"));
        AssertKeys(TaskFileLoader.HeaderKeys, schema.GetProperty("properties").GetProperty("header").GetProperty("properties"));
        AssertKeys(TaskFileLoader.TaskKeys, defs.GetProperty("task").GetProperty("properties"));
        AssertKeys(TaskFileLoader.EnvironmentKeys, defs.GetProperty("task").GetProperty("properties").GetProperty("environment").GetProperty("properties"));
        AssertKeys(TaskFileLoader.TaskletListKeys, defs.GetProperty("task").GetProperty("properties").GetProperty("tasklets").GetProperty("properties"));
        AssertKeys(TaskFileLoader.TaskletKeys, defs.GetProperty("tasklet").GetProperty("properties"));
        Assert.False(schema.GetProperty("additionalProperties").GetBoolean());
    }

    [Fact]
    public void The_config_schema_has_exactly_the_keys_and_hook_events_lute_reads()
    {
        var schema = Schema("config");
        var properties = schema.GetProperty("properties");

        AssertKeys(HostConfigurationLoader.Keys, properties);
        AssertKeys(HostConfigurationLoader.PluginKeys, properties.GetProperty("plugins").GetProperty("items").GetProperty("properties"));
        var hook = properties.GetProperty("hooks").GetProperty("items").GetProperty("properties");
        AssertKeys(HostConfigurationLoader.HookKeys, hook);
        var events = hook.GetProperty("on").GetProperty("items").GetProperty("enum").EnumerateArray().Select(e => e.GetString()!);
        Assert.Equal(HookEvents.All.Append(HookEvents.Any).Append(HookEvents.RunEnd).Distinct().Order(StringComparer.Ordinal), events.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("task")]
    [InlineData("config")]
    public async Task Lute_schema_prints_the_shipped_schema(string kind)
    {
        using var workspace = Workspace.Create();

        var (code, process) = await workspace.LuteAsync("schema", kind);

        Assert.True(code == 0, process.Output);
        var shipped = File.ReadAllText(Path.Combine(Repo.LuteDirectory, "schemas", $"{kind}.schema.json"));
        Assert.Equal(shipped.ReplaceLineEndings("\n").TrimEnd(), string.Join('\n', process.Stdout).TrimEnd());
    }

    private static JsonElement Schema(string kind) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Repo.Root, "src", "Lute.Cli", "Schemas", $"{kind}.schema.json"))).RootElement;

    private static void AssertKeys(IEnumerable<string> expected, JsonElement properties) =>
        Assert.Equal(expected.Order(StringComparer.Ordinal), properties.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
}
