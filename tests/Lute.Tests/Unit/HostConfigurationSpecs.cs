using Lute.Contracts;
using Lute.Host.Configuration;

namespace Lute.Tests.Unit;

public sealed class HostConfigurationSpecs
{
    private const string Folder = "/srv/lute-config";
    private static readonly string ConfigPath = Path.Combine(Folder, "plugins.yaml");

    [Fact]
    public void Relative_directory_store_and_logs_are_resolved_against_the_files_folder()
    {
        // Arrange
        const string text = "directory: plugins\nstore: data/lute.db\nlogs: ../shared/logs\n";

        // Act
        var config = HostConfigurationLoader.Parse(ConfigPath, text);

        // Assert
        Assert.Equal(ConfigPath, config.SourcePath);
        Assert.Equal("/srv/lute-config/plugins", config.PluginDirectory);
        Assert.Equal("/srv/lute-config/data/lute.db", config.StorePath);
        Assert.Equal("/srv/shared/logs", config.LogDirectory);
    }

    [Fact]
    public void A_relative_config_path_resolves_against_its_own_folder_not_only_the_current_one()
    {
        // Arrange
        var relative = Path.Combine("some", "nested", "plugins.yaml");

        // Act
        var config = HostConfigurationLoader.Parse(relative, "directory: p\n");

        // Assert
        Assert.Equal(Path.GetFullPath(Path.Combine("some", "nested", "p")), config.PluginDirectory);
    }

    [Fact]
    public void Absolute_paths_are_kept_and_store_may_be_a_map_with_a_path()
    {
        // Arrange
        const string text = "directory: /opt/lute/plugins\nstore:\n  path: /var/lib/lute/runs.db\nlogs: /var/log/lute\n";

        // Act
        var config = HostConfigurationLoader.Parse(ConfigPath, text);

        // Assert
        Assert.Equal("/opt/lute/plugins", config.PluginDirectory);
        Assert.Equal("/var/lib/lute/runs.db", config.StorePath);
        Assert.Equal("/var/log/lute", config.LogDirectory);
    }

    [Fact]
    public void Logs_default_to_a_logs_folder_next_to_the_store()
    {
        // Arrange
        const string text = "store: db/lute.db\n";

        // Act
        var config = HostConfigurationLoader.Parse(ConfigPath, text);

        // Assert
        Assert.Equal("/srv/lute-config/db/lute.db", config.StorePath);
        Assert.Equal("/srv/lute-config/db/logs", config.LogDirectory);
    }

    [Fact]
    public void Scalar_settings_are_read()
    {
        // Arrange
        const string text = "default_executor: slurm\nconsole_task_output: no\ndrain_timeout: 750ms\nmax_message_bytes: 4096\n";

        // Act
        var config = HostConfigurationLoader.Parse(ConfigPath, text);

        // Assert
        Assert.Equal("slurm", config.DefaultExecutor);
        Assert.False(config.ConsoleTaskOutput);
        Assert.Equal(TimeSpan.FromMilliseconds(750), config.DrainTimeout);
        Assert.Equal(4096, config.MaxMessageBytes);
    }

    [Fact]
    public void An_empty_file_gives_the_defaults_with_its_source()
    {
        // Act
        var config = HostConfigurationLoader.Parse(ConfigPath, "# nothing\n");

        // Assert
        var defaults = HostConfigurationLoader.Defaults();
        Assert.Equal(ConfigPath, config.SourcePath);
        Assert.Equal(defaults.StorePath, config.StorePath);
        Assert.Equal(defaults.LogDirectory, config.LogDirectory);
        Assert.Equal("local", config.DefaultExecutor);
        Assert.Empty(config.Hooks);
        Assert.Empty(config.Plugins);
    }

    [Fact]
    public void Hooks_are_read_with_events_tasks_timeout_critical_and_settings()
    {
        // Arrange
        const string text = """
            hooks:
              - use: recorder
                on: [run_start, done]
                tasks: [train, eval]
                timeout: 3s
                critical: true
                settings:
                  endpoint: http://x
                  retries: 3
                  nested:
                    a: 1
                  list: [p, q]
              - use: logger
                on: log
              - use: everything
            """;

        // Act
        var hooks = HostConfigurationLoader.Parse(ConfigPath, text).Hooks;

        // Assert
        Assert.Equal(["recorder", "logger", "everything"], hooks.Select(h => h.Use));
        var recorder = hooks[0];
        Assert.Equal(new HashSet<string> { HookEvents.RunStart, HookEvents.Done }, recorder.On);
        Assert.Equal(new HashSet<string> { "train", "eval" }, recorder.Tasks);
        Assert.Equal(TimeSpan.FromSeconds(3), recorder.Timeout);
        Assert.True(recorder.Critical);
        Assert.Equal("http://x", recorder.Settings.Get("endpoint"));
        Assert.Equal("3", recorder.Settings.Get("retries"));
        Assert.Equal("1", recorder.Settings.Get("nested:a"));
        Assert.Equal("p", recorder.Settings.Get("list:0"));
        Assert.Equal("q", recorder.Settings.Get("list:1"));
        Assert.Equal(new SourceLocation(ConfigPath, 2, 5), recorder.Location);

        var logger = hooks[1];
        Assert.Equal(new HashSet<string> { HookEvents.Log }, logger.On);
        Assert.Null(logger.Tasks);
        Assert.Equal(TimeSpan.FromSeconds(10), logger.Timeout);
        Assert.False(logger.Critical);
        Assert.Empty(logger.Settings.Values);

        Assert.Equal(new HashSet<string> { HookEvents.Any }, hooks[2].On);
    }

    [Fact]
    public void Plugins_are_read_with_pin_enabled_and_settings()
    {
        // Arrange
        var sha = new string('A', 32) + new string('f', 32);
        var text = $"plugins:\n  - name: Lute.Executors.Local\n    sha256: \" {sha} \"\n    enabled: false\n    settings:\n      Shell: bash\n  - name: Other\n";

        // Act
        var plugins = HostConfigurationLoader.Parse(ConfigPath, text).Plugins;

        // Assert
        Assert.Equal(2, plugins.Count);
        Assert.Equal("Lute.Executors.Local", plugins[0].Name);
        Assert.Equal(sha.ToLowerInvariant(), plugins[0].Sha256);
        Assert.False(plugins[0].Enabled);
        Assert.Equal("bash", plugins[0].Settings.Get("shell"));
        Assert.Equal(new SourceLocation(ConfigPath, 2, 5), plugins[0].Location);
        Assert.Null(plugins[1].Sha256);
        Assert.True(plugins[1].Enabled);
    }

    public static TheoryData<string, string, string> BrokenConfigurations => new()
    {
        { "hooks:\n  - use: h\n    on: [run_start, finished]\n", "3:21", "unknown event 'finished'; fix: write one of the events: *, run_start" },
        { "hooks:\n  - use: h\n    on: finish\n", "3:9", "unknown event 'finish'" },
        { "hooks:\n  - on: [done]\n", "2:5", "a hook entry has no 'use'; fix: add 'use: HOOK-NAME'" },
        { "hooks:\n  - use: h\n    timeout: never\n", "3:14", "a hook's 'timeout' must be a duration above 0" },
        { "hooks:\n  - use: h\n    when: always\n", "3:5", "unknown key 'when' in a hook entry; fix: remove it or use one of the valid keys: use, on, tasks, timeout, critical, settings" },
        { "plugins:\n  - name: P\n    sha256: abc123\n", "3:13", "'sha256' must be 64 hexadecimal digits" },
        { $"plugins:\n  - name: P\n    sha256: {new string('g', 64)}\n", "3:13", "'sha256' must be 64 hexadecimal digits" },
        { "plugins:\n  - enabled: false\n", "2:5", "a plugin entry has no 'name'" },
        { "plugins:\n  - name: \"  \"\n", "2:5", "a plugin entry has no 'name'" },
        { "plugins:\n  name: P\n", "2:3", "'plugins' must be a list" },
        { "stores: x.db\n", "1:1", "unknown key 'stores' in plugins.yaml; fix: write 'store' (valid keys: directory" },
        { "store:\n  file: x.db\n", "2:3", "unknown key 'file' in 'store'; fix: remove it or use one of the valid keys: path" },
        { "max_message_bytes: 0\n", "1:20", "must be a whole number from 1 to 67108864, not '0'" },
        { "console_task_output: sometimes\n", "1:22", "must be true or false" },
        { "directory: [a, b]\n", "1:12", "'directory' must be a single value, not a list" },
    };

    [Theory]
    [MemberData(nameof(BrokenConfigurations))]
    public void A_broken_configuration_is_an_error_naming_its_place(string text, string place, string phrase)
    {
        // Act
        var error = Assert.Throws<ConfigurationException>(() => HostConfigurationLoader.Parse(ConfigPath, text));

        // Assert
        Assert.StartsWith($"{ConfigPath}:{place}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(phrase, error.Message, StringComparison.Ordinal);
    }
}
