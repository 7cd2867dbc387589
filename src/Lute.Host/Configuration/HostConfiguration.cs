using Lute.Contracts;
using Lute.Host.Store;

namespace Lute.Host.Configuration;

/// <summary>The host's configuration: plugins.yaml, or the embedded defaults when there is none.</summary>
public sealed record HostConfiguration
{
    /// <summary>The file it was read from, or null for the embedded defaults.</summary>
    public string? SourcePath { get; init; }

    /// <summary>The directory whose sub-folders are plugins.</summary>
    public required string PluginDirectory { get; init; }

    /// <summary>Where <see cref="PluginDirectory"/> came from, for messages: a place in plugins.yaml, or the embedded default.</summary>
    public string PluginDirectoryOrigin { get; init; } = "the embedded default (plugins/ beside the lute program)";

    /// <summary>The executor of tasks that name none.</summary>
    public string DefaultExecutor { get; init; } = "local";

    /// <summary>Where plugins.yaml names the default executor, or null when it does not.</summary>
    public SourceLocation? DefaultExecutorLocation { get; init; }

    /// <summary>The SQLite result store; with a PostgreSQL store, its address in words (no password).</summary>
    public required string StorePath { get; init; }

    /// <summary>The PostgreSQL store's Npgsql connection string (never a password), or null for the SQLite store.</summary>
    public string? StoreConnection { get; init; }

    /// <summary>A file holding the PostgreSQL store's password (<c>password_file:</c>), or null.</summary>
    public string? StorePasswordFile { get; init; }

    /// <summary>Where per-run log files go.</summary>
    public required string LogDirectory { get; init; }

    /// <summary>
    /// The permissions of the files lute creates for a run's record (the store, its -wal and -shm files, run logs,
    /// reports): owner-only by default; <c>store_mode: 0640</c> lets the file's group read them. Folders lute creates
    /// for them get the matching search bits.
    /// </summary>
    public UnixFileMode StoreMode { get; init; } = PrivateFiles.OwnerOnly;

    /// <summary>Plugins named in plugins.yaml (settings, pins, disabled plugins).</summary>
    public IReadOnlyList<PluginEntry> Plugins { get; init; } = [];

    /// <summary>Hooks, in the order they are called.</summary>
    public IReadOnlyList<HookBinding> Hooks { get; init; } = [];

    /// <summary>Show the task's output lines on the console (they always go to the run's log file).</summary>
    public bool ConsoleTaskOutput { get; init; } = true;

    /// <summary>How long the runner waits for a task's last messages after its process has exited.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The largest structured message the runner accepts, in bytes.</summary>
    public int MaxMessageBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// Names of environment variables whose values are secrets (glob patterns, <c>*</c> for any text, case does not
    /// matter): their values are replaced by <c>***</c> before anything is logged or stored.
    /// </summary>
    public IReadOnlyList<string> SecretVariables { get; init; } = ["*TOKEN*", "*SECRET*", "*PASSWORD*", "*PASSWD*", "*KEY*", "*CREDENTIAL*"];

    /// <summary>Refuse plugins (rather than warn) whose folder or assembly other users can write.</summary>
    public bool RefuseWritablePlugins { get; init; }

    /// <summary>The entry for a plugin, or null.</summary>
    /// <param name="name">The plugin's folder name.</param>
    public PluginEntry? Find(string name) =>
        Plugins.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>A plugin named in plugins.yaml.</summary>
/// <param name="Name">The plugin's folder (and main assembly) name.</param>
/// <param name="Sha256">The expected SHA-256 of its main assembly, if pinned.</param>
/// <param name="Enabled">False to leave it unloaded.</param>
/// <param name="Settings">Its settings.</param>
/// <param name="Location">Where it is listed.</param>
public sealed record PluginEntry(string Name, string? Sha256, bool Enabled, PluginSettings Settings, SourceLocation Location);

/// <summary>A hook bound to events in plugins.yaml.</summary>
public sealed record HookBinding
{
    /// <summary>The hook's component name.</summary>
    public required string Use { get; init; }

    /// <summary>Event names it receives (see <see cref="HookEvents"/>).</summary>
    public required IReadOnlySet<string> On { get; init; }

    /// <summary>Task names it serves, or null for every task.</summary>
    public IReadOnlySet<string>? Tasks { get; init; }

    /// <summary>The time limit of one call.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>When true a failure of the hook fails the run.</summary>
    public bool Critical { get; init; }

    /// <summary>Settings of this binding, over the plugin's settings.</summary>
    public PluginSettings Settings { get; init; } = PluginSettings.Empty;

    /// <summary>Where it is bound.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary>True when the binding receives <paramref name="taskEvent"/> for <paramref name="taskName"/>.</summary>
    /// <param name="taskEvent">The event.</param>
    /// <param name="taskName">The run's task.</param>
    public bool Receives(TaskEvent taskEvent, string taskName) =>
        (Tasks is null || Tasks.Contains(taskName))
        && (On.Contains(HookEvents.Any) || On.Contains(taskEvent.Name) || (taskEvent is RunEndedEvent && On.Contains(HookEvents.RunEnd)));
}
