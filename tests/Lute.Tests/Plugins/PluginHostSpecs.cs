using System.Text.Json;
using Lute.Contracts;
using Lute.Host.Configuration;
using Lute.Host.Plugins;
using Lute.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lute.Tests.Plugins;

public sealed class PluginHostSpecs : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("lute-plugins-").FullName;

    [Fact]
    public async Task Two_plugins_depending_on_different_versions_of_one_library_each_see_their_own()
    {
        Link(Repo.TestPlugin("Lute.TestPlugins.JsonOld"));
        Link(Repo.TestPlugin("Lute.TestPlugins.JsonNew"));
        using var host = Load();
        var control = new FakeRunControl();

        foreach (var name in new[] { "test.json-old", "test.json-new" })
        {
            var (hook, _, _) = host.Create<IHook>(ComponentKind.Hook, name);
            await hook.OnEventAsync(new RunStartedEvent(DateTimeOffset.UtcNow, FakeRunControl.Context(control).Run), FakeRunControl.Context(control));
        }

        Assert.Equal("12.0.0.0", Version(control.Summary["json-old"]));
        Assert.Equal("13.0.0.0", Version(control.Summary["json-new"]));
        Assert.All(host.Plugins, p => Assert.True(p.Loaded, p.Error));
    }

    [Fact]
    public void A_plugin_ships_default_settings_that_plugins_yaml_overrides_key_by_key()
    {
        Link(Repo.Plugin("Lute.Executors.Slurm"));
        using (var defaults = Load())
        {
            var settings = defaults.Create<IExecutor>(ComponentKind.Executor, "slurm-srun").Settings;
            Assert.Equal("tcp", settings.Get("communicator"));
            Assert.Equal("15", settings.Get("scancel_timeout_seconds"));
        }

        var configured = new PluginSettings(new Dictionary<string, string> { ["communicator"] = "unix", ["args:0"] = "--mpi=pmix" });
        using var host = Load(new PluginEntry("Lute.Executors.Slurm", null, true, configured, new SourceLocation("plugins.yaml", 2, 5)));
        var merged = host.Create<IExecutor>(ComponentKind.Executor, "slurm-srun").Settings;
        Assert.Equal("unix", merged.Get("communicator"));
        Assert.Equal("--mpi=pmix", merged.Get("args:0"));
        Assert.Null(merged.Get("args"));
        Assert.Equal("srun", merged.Get("srun"));
    }

    [Fact]
    public void A_plugin_whose_plugin_yaml_is_broken_is_refused_naming_file_line_and_column()
    {
        var folder = Path.Combine(_directory, "Lute.Executors.Local");
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(Repo.Plugin("Lute.Executors.Local")))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        File.WriteAllText(Path.Combine(folder, "plugin.yaml"), "settings:\n  a: [unclosed\n");
        using var host = Load();

        var plugin = host.Plugins.Single(p => p.Name == "Lute.Executors.Local");
        Assert.False(plugin.Loaded);
        Assert.Contains("plugin.yaml is not valid", plugin.Error, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(folder, "plugin.yaml") + ":", plugin.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Lute.TestPlugins.FutureContract", "2.0")]
    [InlineData("Lute.TestPlugins.PastContract", "0.9")]
    public void Plugin_built_against_another_contract_major_version_is_refused_with_the_reason(string plugin, string contracts)
    {
        Link(Repo.TestPlugin(plugin));
        Link(Repo.Plugin("Lute.Executors.Local"));
        using var host = Load();

        var other = host.Plugins.Single(p => p.Name == plugin);
        Assert.False(other.Loaded);
        Assert.Equal(contracts, other.ContractVersion);
        Assert.Contains($"built against contracts {contracts}, but this host implements contracts {ContractVersion.Text}; rebuild the plugin", other.Error, StringComparison.Ordinal);
        Assert.Equal(["local"], host.Names(ComponentKind.Executor));
    }

    [Fact]
    public void A_plugin_whose_registration_throws_is_refused_with_the_cause_and_the_others_load()
    {
        Link(Repo.TestPlugin("Lute.TestPlugins.BadRegistration"));
        Link(Repo.Plugin("Lute.Executors.Local"));
        using var host = Load();

        var bad = host.Plugins.Single(p => p.Name == "Lute.TestPlugins.BadRegistration");
        Assert.False(bad.Loaded);
        Assert.Equal(
            "its registration Lute.TestPlugins.BadRegistration.FailingRegistration.ConfigureServices failed: InvalidDataException: the facility database is not configured",
            bad.Error);
        Assert.True(host.Plugins.Single(p => p.Name == "Lute.Executors.Local").Loaded);
        Assert.NotNull(host.Create<IExecutor>(ComponentKind.Executor, "local").Component);
        var missing = Assert.Throws<PluginException>(() => host.Create<ITasklet>(ComponentKind.Tasklet, "test.never"));
        Assert.Contains("Lute.TestPlugins.BadRegistration (its registration", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_plugins_claiming_one_executor_name_make_it_ambiguous_and_their_other_components_still_work()
    {
        Link(Repo.Plugin("Lute.Executors.Local"));
        Link(Repo.TestPlugin("Lute.TestPlugins.Rival"));
        using var host = Load();

        var rival = host.Plugins.Single(p => p.Name == "Lute.TestPlugins.Rival");
        Assert.True(rival.Loaded, rival.Error);
        Assert.Contains(rival.Warnings, w => w.Contains("executor 'local' is also provided by plugin Lute.Executors.Local; neither is used", StringComparison.Ordinal));
        var ambiguous = Assert.Throws<PluginException>(() => host.Create<IExecutor>(ComponentKind.Executor, "local"));
        Assert.Contains("executor 'local' is provided by more than one plugin (Lute.Executors.Local, Lute.TestPlugins.Rival)", ambiguous.Message, StringComparison.Ordinal);
        Assert.Contains("- { name: Lute.TestPlugins.Rival, enabled: false }", ambiguous.Message, StringComparison.Ordinal);
        Assert.NotNull(host.Create<ITasklet>(ComponentKind.Tasklet, "test.rival-echo").Component);

        // Disabling one plugin settles it.
        using var settled = Load(new PluginEntry("Lute.TestPlugins.Rival", null, false, PluginSettings.Empty, new SourceLocation("plugins.yaml", 3, 5)));
        Assert.Equal("Lute.Executors.Local", settled.Create<IExecutor>(ComponentKind.Executor, "local").Info.Plugin);
    }

    [Fact]
    public void Plugin_built_against_a_newer_minor_contract_version_is_refused_with_the_reason()
    {
        Link(Repo.TestPlugin("Lute.TestPlugins.NextMinorContract"));
        using var host = Load();

        var next = host.Plugins.Single();
        Assert.False(next.Loaded);
        Assert.Equal("1.99", next.ContractVersion);
        Assert.Contains($"built against contracts 1.99, newer than this host's contracts {ContractVersion.Text}", next.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Folder_without_its_assembly_and_a_file_that_is_not_an_assembly_are_reported_and_others_still_load()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "Lute.Empty"));
        Directory.CreateDirectory(Path.Combine(_directory, "Lute.Garbage"));
        File.WriteAllText(Path.Combine(_directory, "Lute.Garbage", "Lute.Garbage.dll"), "this is not a .NET assembly");
        Link(Repo.Plugin("Lute.Executors.Local"));
        using var host = Load();

        Assert.Contains("has no Lute.Empty.dll", host.Plugins.Single(p => p.Name == "Lute.Empty").Error, StringComparison.Ordinal);
        Assert.Contains("is not a .NET assembly", host.Plugins.Single(p => p.Name == "Lute.Garbage").Error, StringComparison.Ordinal);
        Assert.True(host.Plugins.Single(p => p.Name == "Lute.Executors.Local").Loaded);
        Assert.NotNull(host.Create<IExecutor>(ComponentKind.Executor, "local").Component);
    }

    [Fact]
    public void Plugin_whose_types_fail_to_load_is_reported_with_the_missing_assembly()
    {
        var copy = Path.Combine(_directory, "Lute.TestPlugins.BrokenType");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(Repo.TestPlugin("Lute.TestPlugins.BrokenType")))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        File.Delete(Path.Combine(copy, "Lute.TestPlugins.BrokenBase.dll"));
        Link(Repo.Plugin("Lute.Executors.Local"));
        using var host = Load();

        var broken = host.Plugins.Single(p => p.Name == "Lute.TestPlugins.BrokenType");
        Assert.False(broken.Loaded);
        Assert.Contains("Lute.TestPlugins.BrokenBase", broken.Error, StringComparison.Ordinal);
        Assert.True(host.Plugins.Single(p => p.Name == "Lute.Executors.Local").Loaded);
    }

    [Fact]
    public void A_plugin_folder_copied_in_whole_loads_like_a_built_one()
    {
        var copy = Path.Combine(_directory, "Lute.TestPlugins.BrokenType");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(Repo.TestPlugin("Lute.TestPlugins.BrokenType")))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        using var host = Load();

        Assert.True(host.Plugins.Single().Loaded, host.Plugins.Single().Error);
        Assert.NotNull(host.Create<IHook>(ComponentKind.Hook, "test.derived").Component);
    }

    [Fact]
    public void Sha256_pin_that_does_not_match_refuses_the_plugin_and_a_matching_pin_loads_it()
    {
        Link(Repo.Plugin("Lute.Executors.Local"));
        var actual = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(Repo.Plugin("Lute.Executors.Local"), "Lute.Executors.Local.dll"))));
        var wrong = new string('0', 64);

        using var refused = Load(new PluginEntry("Lute.Executors.Local", wrong, true, PluginSettings.Empty, new SourceLocation("plugins.yaml", 3, 5)));
        using var accepted = Load(new PluginEntry("Lute.Executors.Local", actual, true, PluginSettings.Empty, new SourceLocation("plugins.yaml", 3, 5)));

        Assert.Contains($"SHA-256 mismatch: plugins.yaml (plugins.yaml:3:5) pins {wrong}, Lute.Executors.Local.dll has {actual}", refused.Plugins.Single().Error, StringComparison.Ordinal);
        Assert.True(accepted.Plugins.Single().Loaded);
        Assert.Equal(actual, accepted.Plugins.Single().Sha256);
    }

    [Fact]
    public void Disabled_plugin_is_not_loaded_and_its_components_are_not_available()
    {
        Link(Repo.Plugin("Lute.Executors.Local"));
        using var host = Load(new PluginEntry("Lute.Executors.Local", null, false, PluginSettings.Empty, new SourceLocation("plugins.yaml", 1, 1)));

        Assert.True(host.Plugins.Single().Disabled);
        var error = Assert.Throws<PluginException>(() => host.Create<IExecutor>(ComponentKind.Executor, "local"));
        Assert.Contains("no executor named 'local'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Component_whose_constructor_throws_gives_an_error_naming_the_plugin_and_the_cause()
    {
        Link(Repo.TestPlugin("Lute.TestPlugins.Hooks"));
        using var host = Load();

        var error = Assert.Throws<PluginException>(() => host.Create<object>(ComponentKind.Hook, "test.throw-ctor"));

        Assert.Contains("plugin Lute.TestPlugins.Hooks could not create hook 'test.throw-ctor'", error.Message, StringComparison.Ordinal);
        Assert.Contains("test.throw-ctor cannot be built", error.Message + error.InnerException, StringComparison.Ordinal);
        Assert.NotNull(host.Create<object>(ComponentKind.Hook, "test.record").Component);
    }

    [Fact]
    public void Plugin_listed_in_the_configuration_without_a_folder_is_reported()
    {
        using var host = Load(new PluginEntry("Lute.Hooks.Missing", null, true, PluginSettings.Empty, new SourceLocation("plugins.yaml", 7, 5)));

        Assert.Contains("listed in plugins.yaml (plugins.yaml:7:5) but there is no folder 'Lute.Hooks.Missing'", host.Plugins.Single().Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Plugin_lists_what_it_provides_with_its_version_and_contract_version()
    {
        Link(Repo.TestPlugin("Lute.TestPlugins.Hooks"));
        using var host = Load();

        var plugin = host.Plugins.Single();
        Assert.Equal(ContractVersion.Text, plugin.ContractVersion);
        Assert.Equal("0.1.0.0", plugin.Version);
        Assert.Equal(
            ["test.answer", "test.control", "test.count", "test.hang", "test.record", "test.throw", "test.throw-ctor"],
            plugin.Components.Where(c => c.Kind == ComponentKind.Hook).Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["test.echo"], plugin.Components.Where(c => c.Kind == ComponentKind.Tasklet).Select(c => c.Name));
    }

    private PluginHost Load(params PluginEntry[] entries) => PluginHost.Load(
        new HostConfiguration { PluginDirectory = _directory, StorePath = Path.Combine(_directory, "x.db"), LogDirectory = _directory, Plugins = entries },
        NullLoggerFactory.Instance);

    private void Link(string folder) =>
        Directory.CreateSymbolicLink(Path.Combine(_directory, Path.GetFileName(folder)), folder);

    private static string Version(string json) => JsonDocument.Parse(json).RootElement.GetProperty("version").GetString()!;

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
