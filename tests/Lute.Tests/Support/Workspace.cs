using Lute.Host.Store;
using Microsoft.Data.Sqlite;

namespace Lute.Tests.Support;

/// <summary>
/// A throw-away folder with its own plugins.yaml, plugin folder (links to built plugins), result store and logs,
/// where tests write task files and run the real <c>lute</c> command line.
/// </summary>
internal sealed partial class Workspace : IDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(90);

    private Workspace(string root)
    {
        Root = root;
        Directory.CreateDirectory(PluginDirectory);
    }

    public string Root { get; }

    public string PluginDirectory => Path.Combine(Root, "plugins");

    public string ConfigPath => Path.Combine(Root, "plugins.yaml");

    public string StorePath => Path.Combine(Root, "store", "lute.db");

    public string LogDirectory => Path.Combine(Root, "logs");

    /// <summary>A workspace with the local executor and the named test plugins installed.</summary>
    public static Workspace Create(params string[] testPlugins)
    {
        var workspace = new Workspace(Directory.CreateTempSubdirectory("lute-test-").FullName);
        workspace.Link(Repo.Plugin("Lute.Executors.Local"));
        foreach (var plugin in testPlugins)
        {
            workspace.Link(Repo.TestPlugin(plugin));
        }

        workspace.WriteConfig(string.Empty);
        return workspace;
    }

    public void Link(string pluginFolder)
    {
        if (!File.Exists(Path.Combine(pluginFolder, Path.GetFileName(pluginFolder) + ".dll")))
        {
            throw new InvalidOperationException($"{pluginFolder} is not built; run the README's build command first");
        }

        Directory.CreateSymbolicLink(Path.Combine(PluginDirectory, Path.GetFileName(pluginFolder)), pluginFolder);
    }

    /// <summary>Writes plugins.yaml: this workspace's folders plus <paramref name="extra"/> YAML.</summary>
    public void WriteConfig(string extra) =>
        File.WriteAllText(ConfigPath, $"directory: plugins\nstore: store/lute.db\nlogs: logs\n{extra}\n");

    /// <summary>Writes a file into the workspace and returns its path.</summary>
    public string Write(string name, string text, bool executable = false)
    {
        var path = Path.Combine(Root, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        if (executable)
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    public string PathOf(string name) => Path.Combine(Root, name);

    /// <summary>Makes a named pipe: a task that reads it waits until the test writes to it.</summary>
    public string MakeFifo(string name)
    {
        var path = PathOf(name);
        if (NativeFifo.Make(path, 0x180) != 0)
        {
            throw new IOException($"mkfifo {path} failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
        }

        return path;
    }

    /// <summary>Starts <c>lute ARGS --config plugins.yaml</c>.</summary>
    public ChildProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, bool resetSignals = false) =>
        ChildProcess.Start(Repo.Lute, [.. arguments, "--config", ConfigPath], Root, environment, resetSignals);

    /// <summary>Runs <c>lute ARGS</c> to its end.</summary>
    public async Task<(int ExitCode, ChildProcess Process)> LuteAsync(params string[] arguments)
    {
        var process = Start(arguments);
        var code = await process.WaitForExitAsync(DefaultTimeout);
        return (code, process);
    }

    /// <summary>Writes a task file with one task and runs it.</summary>
    public async Task<(int ExitCode, ChildProcess Process)> RunTaskAsync(string taskYaml, string file = "tasks.yaml")
    {
        var path = Write(file, taskYaml);
        return await LuteAsync("run", path);
    }

    /// <summary>Writes a task file with one task and runs it with extra environment variables for <c>lute</c>.</summary>
    public async Task<(int ExitCode, ChildProcess Process)> RunTaskAsync(string taskYaml, IReadOnlyDictionary<string, string?> environment, string file = "tasks.yaml")
    {
        var path = Write(file, taskYaml);
        var process = Start(["run", path], environment);
        var code = await process.WaitForExitAsync(DefaultTimeout);
        return (code, process);
    }

    public async Task<RunRecord> LatestRunAsync()
    {
        await using var store = await SqliteRunRecorder.OpenAsync(StorePath);
        var runs = await store.HistoryAsync(1, null, CancellationToken.None);
        Assert.NotEmpty(runs);
        return runs[0];
    }

    /// <summary>A column of run <paramref name="id"/> as the store file holds it (JSON columns: their JSON text), or null.</summary>
    public string? StoredText(long id, string column)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = StorePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        // The column is the test's own constant, never input.
        command.CommandText = $"SELECT {column} FROM runs WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteScalar() as string;
    }

    public async Task<IReadOnlyList<RunRecord>> RunsAsync(int limit = 1000)
    {
        await using var store = await SqliteRunRecorder.OpenAsync(StorePath);
        return await store.HistoryAsync(limit, null, CancellationToken.None);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

internal static partial class NativeFifo
{
    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "mkfifo", SetLastError = true, StringMarshalling = System.Runtime.InteropServices.StringMarshalling.Utf8)]
    internal static partial int Make(string path, uint mode);
}
