using Lute.Contracts;
using Lute.Host.Store;
using YamlDotNet.RepresentationModel;

namespace Lute.Host.Configuration;

/// <summary>Finds and reads plugins.yaml; without one, the embedded defaults apply.</summary>
public static class HostConfigurationLoader
{
    /// <summary>The environment variable that names plugins.yaml.</summary>
    public const string ConfigVariable = "LUTE_CONFIG";

    internal static readonly string[] Keys =
        ["directory", "default_executor", "store", "logs", "plugins", "hooks", "console_task_output", "drain_timeout", "max_message_bytes", "secret_variables", "plugin_permissions", "store_mode"];

    /// <summary>The largest <c>max_message_bytes</c>: a frame is held whole in memory while it is read.</summary>
    public const int MaxMessageBytesLimit = 64 * 1024 * 1024;

    internal static readonly string[] PluginKeys = ["name", "sha256", "enabled", "settings"];
    internal static readonly string[] HookKeys = ["use", "on", "tasks", "timeout", "critical", "settings"];

    /// <summary>
    /// Reads the configuration: <paramref name="explicitPath"/> if given, else <c>$LUTE_CONFIG</c>, else
    /// <c>plugins.yaml</c> in the current directory, else the embedded defaults.
    /// </summary>
    /// <param name="explicitPath">A path from the command line, or null.</param>
    public static HostConfiguration Load(string? explicitPath)
    {
        var path = explicitPath ?? System.Environment.GetEnvironmentVariable(ConfigVariable);
        if (string.IsNullOrEmpty(path))
        {
            path = File.Exists("plugins.yaml") ? "plugins.yaml" : null;
        }

        if (path is null)
        {
            return Defaults();
        }

        return Parse(path, YamlNodes.ReadFile(path, "plugin configuration"));
    }

    /// <summary>The embedded defaults: plugins next to the host, the local executor, a per-user SQLite store.</summary>
    public static HostConfiguration Defaults()
    {
        var data = System.Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        if (string.IsNullOrEmpty(data))
        {
            var home = System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);
            data = string.IsNullOrEmpty(home)
                ? Path.Combine(Directory.GetCurrentDirectory(), ".lute") // no home directory: keep data next to the work
                : Path.Combine(home, ".local", "share");
        }

        var folder = Path.Combine(data, "lute");
        return new HostConfiguration
        {
            PluginDirectory = ShippedPluginDirectory(AppContext.BaseDirectory),
            StorePath = Path.Combine(folder, "lute.db"),
            LogDirectory = Path.Combine(folder, "logs"),
        };
    }

    /// <summary>
    /// The plugins shipped with the program: <c>plugins/</c> beside it when it has one (the .NET tool carries its
    /// plugins so), else <c>../plugins</c> (a build's out/lute and out/plugins).
    /// </summary>
    /// <param name="programDirectory">The program's folder.</param>
    internal static string ShippedPluginDirectory(string programDirectory)
    {
        var beside = Path.Combine(programDirectory, "plugins");
        return Path.GetFullPath(Directory.Exists(beside) ? beside : Path.Combine(programDirectory, "..", "plugins"));
    }

    /// <summary>Parses plugins.yaml; relative paths in it are relative to the file's folder.</summary>
    /// <param name="path">The file's path, for messages and relative paths.</param>
    /// <param name="text">The YAML text.</param>
    public static HostConfiguration Parse(string path, string text)
    {
        var defaults = Defaults();
        var (yaml, root) = YamlNodes.Load(path, text);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var config = defaults with { SourcePath = Path.GetFullPath(path) };
        if (root is null || yaml.IsNull(root))
        {
            return config;
        }

        var logsSet = false;
        foreach (var (key, _, value) in yaml.Entries(yaml.Mapping(root, "plugins.yaml"), "plugins.yaml", Keys))
        {
            var field = $"'{key}'";
            switch (key)
            {
                case "directory":
                    config = config with { PluginDirectory = Resolve(folder, yaml.Scalar(value, field)), PluginDirectoryOrigin = $"'directory' at {yaml.At(value)}" };
                    break;
                case "default_executor":
                    config = config with { DefaultExecutor = yaml.Scalar(value, field), DefaultExecutorLocation = yaml.At(value) };
                    break;
                case "store":
                    config = ReadStore(config, yaml, value, folder);
                    break;
                case "logs":
                    config = config with { LogDirectory = Resolve(folder, yaml.Scalar(value, field)) };
                    logsSet = true;
                    break;
                case "plugins":
                    config = config with { Plugins = ReadPlugins(yaml, value) };
                    break;
                case "hooks":
                    config = config with { Hooks = ReadHooks(yaml, value) };
                    break;
                case "console_task_output":
                    config = config with { ConsoleTaskOutput = yaml.Boolean(value, field) };
                    break;
                case "drain_timeout":
                    config = config with { DrainTimeout = yaml.Duration(value, field) };
                    break;
                case "secret_variables":
                    config = config with { SecretVariables = ReadSecretPatterns(yaml, value, field) };
                    break;
                case "plugin_permissions":
                    config = config with
                    {
                        RefuseWritablePlugins = yaml.Scalar(value, field) switch
                        {
                            "warn" => false,
                            "refuse" => true,
                            var other => throw yaml.Error(value, $"{field} must be warn or refuse, not '{other}'", "write plugin_permissions: warn (the default) or plugin_permissions: refuse"),
                        },
                    };
                    break;
                case "store_mode":
                    config = config with { StoreMode = ReadStoreMode(yaml, value, field) };
                    break;
                default:
                    config = config with { MaxMessageBytes = yaml.PositiveInt(value, field, MaxMessageBytesLimit, "1048576 (1 MiB, the default)") };
                    break;
            }
        }

        if (!logsSet && config.StoreConnection is null)
        {
            // Beside a SQLite store; with a PostgreSQL store, the user's own default folder (logs stay on the host).
            config = config with { LogDirectory = Path.Combine(Path.GetDirectoryName(config.StorePath)!, "logs") };
        }

        return config;
    }

    private static UnixFileMode ReadStoreMode(YamlNodes yaml, YamlNode value, string field) =>
        yaml.Scalar(value, field).TrimStart('0') switch
        {
            "600" => PrivateFiles.OwnerOnly,
            "640" => PrivateFiles.GroupReadable,
            var other => throw yaml.Error(
                value,
                $"{field} must be 0600 (only you read the runs' records) or 0640 (your group reads them too), not '{other}'",
                "write store_mode: 0600 (the default) or store_mode: 0640, and give the store's folder the group that may read it"),
        };

    private static List<string> ReadSecretPatterns(YamlNodes yaml, YamlNode value, string field)
    {
        var patterns = new List<string>();
        foreach (var (pattern, node) in yaml.TextList(value, field))
        {
            if (pattern.Length == 0 || pattern.Trim('*').Length == 0)
            {
                throw yaml.Error(node, $"{field}: '{pattern}' would match every variable", "write a name or a part of one between stars, such as *TOKEN*");
            }

            patterns.Add(pattern);
        }

        return patterns;
    }

    private static HostConfiguration ReadStore(HostConfiguration config, YamlNodes yaml, YamlNode value, string folder)
    {
        if (value is YamlScalarNode)
        {
            var text = yaml.Scalar(value, "'store'");
            return PostgresStoreSetting.IsAddress(text)
                ? Postgres(config, yaml, value, text, null)
                : config with { StorePath = Resolve(folder, text) };
        }

        string? path = null, postgres = null, passwordFile = null;
        YamlNode? postgresNode = null;
        foreach (var (key, _, v) in yaml.Entries(yaml.Mapping(value, "'store'"), "'store'", ["path", "postgresql", "password_file"]))
        {
            switch (key)
            {
                case "path":
                    path = yaml.Scalar(v, "'store' 'path'");
                    break;
                case "postgresql":
                    (postgres, postgresNode) = (yaml.Scalar(v, "'store' 'postgresql'"), v);
                    break;
                default:
                    passwordFile = Resolve(folder, yaml.Scalar(v, "'store' 'password_file'"));
                    break;
            }
        }

        if (postgres is not null)
        {
            return path is not null
                ? throw yaml.Error(value, "'store' names both a file ('path') and a PostgreSQL server ('postgresql')", "keep one of them")
                : Postgres(config, yaml, postgresNode!, postgres, passwordFile);
        }

        if (passwordFile is not null)
        {
            throw yaml.Error(value, "'password_file' is for a PostgreSQL store", "add 'postgresql: ADDRESS', or remove 'password_file'");
        }

        return path is null
            ? throw yaml.Error(value, "'store' needs a 'path' or a 'postgresql' server", "write store: PATH, store: { path: PATH } or store: postgresql://USER@HOST:PORT/DATABASE")
            : config with { StorePath = Resolve(folder, path) };
    }

    private static HostConfiguration Postgres(HostConfiguration config, YamlNodes yaml, YamlNode node, string text, string? passwordFile)
    {
        try
        {
            var connection = PostgresStoreSetting.ConnectionString(text);
            return config with { StoreConnection = connection, StorePath = Store.PostgresRunRecorder.Describe(new Npgsql.NpgsqlConnectionStringBuilder(connection)), StorePasswordFile = passwordFile };
        }
        catch (FormatException e)
        {
            throw yaml.Error(node, $"'store': {e.Message}", PostgresStoreSetting.FixText);
        }
    }

    private static List<PluginEntry> ReadPlugins(YamlNodes yaml, YamlNode node)
    {
        var list = new List<PluginEntry>();
        if (yaml.IsNull(node))
        {
            return list;
        }

        foreach (var item in yaml.Sequence(node, "'plugins'").Children)
        {
            string? name = null;
            string? sha = null;
            var enabled = true;
            var settings = new Dictionary<string, string>();
            foreach (var (key, _, value) in yaml.Entries(yaml.Mapping(item, "a plugin entry"), "a plugin entry", PluginKeys))
            {
                switch (key)
                {
                    case "name":
                        name = yaml.Scalar(value, "a plugin's 'name'");
                        break;
                    case "sha256":
                        sha = yaml.Scalar(value, "a plugin's 'sha256'").Trim().ToLowerInvariant();
                        if (sha.Length != 64 || !sha.All(char.IsAsciiHexDigit))
                        {
                            throw yaml.Error(value, $"'sha256' must be 64 hexadecimal digits, not '{sha}'", "write the output of sha256sum on the plugin's main .dll");
                        }

                        break;
                    case "enabled":
                        enabled = yaml.Boolean(value, "a plugin's 'enabled'");
                        break;
                    default:
                        settings = yaml.Flatten(value, "a plugin's 'settings'");
                        break;
                }
            }

            if (string.IsNullOrWhiteSpace(name))
            {
                throw yaml.Error(item, "a plugin entry has no 'name'", "add 'name: FOLDER', the plugin's folder name (see 'lute plugins')");
            }

            list.Add(new PluginEntry(name, sha, enabled, new PluginSettings(settings), yaml.At(item)));
        }

        return list;
    }

    private static List<HookBinding> ReadHooks(YamlNodes yaml, YamlNode node)
    {
        var list = new List<HookBinding>();
        if (yaml.IsNull(node))
        {
            return list;
        }

        foreach (var item in yaml.Sequence(node, "'hooks'").Children)
        {
            string? use = null;
            HashSet<string>? on = null;
            var binding = new HookBinding { Use = string.Empty, On = new HashSet<string>(), Location = yaml.At(item) };
            foreach (var (key, _, value) in yaml.Entries(yaml.Mapping(item, "a hook entry"), "a hook entry", HookKeys))
            {
                var field = $"a hook's '{key}'";
                switch (key)
                {
                    case "use":
                        use = yaml.Scalar(value, field);
                        break;
                    case "on":
                        on = [];
                        foreach (var (name, at) in yaml.TextList(value, field))
                        {
                            if (!HookEvents.All.Contains(name))
                            {
                                throw yaml.Error(at, $"unknown event '{name}'", $"write one of the events: {string.Join(", ", HookEvents.All)}");
                            }

                            on.Add(name);
                        }

                        break;
                    case "tasks":
                        binding = binding with { Tasks = yaml.TextList(value, field).Select(v => v.Value).ToHashSet() };
                        break;
                    case "timeout":
                        binding = binding with { Timeout = yaml.Duration(value, field) };
                        break;
                    case "critical":
                        binding = binding with { Critical = yaml.Boolean(value, field) };
                        break;
                    default:
                        binding = binding with { Settings = new PluginSettings(yaml.Flatten(value, field)) };
                        break;
                }
            }

            if (string.IsNullOrWhiteSpace(use))
            {
                throw yaml.Error(item, "a hook entry has no 'use'", "add 'use: HOOK-NAME' (see 'lute plugins' for the names)");
            }

            list.Add(binding with { Use = use, On = on ?? new HashSet<string> { HookEvents.Any } });
        }

        return list;
    }

    private static string Resolve(string folder, string path)
    {
        var expanded = path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), path[2..])
            : path;
        return Path.GetFullPath(Path.Combine(folder, expanded));
    }
}
