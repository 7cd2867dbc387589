using System.Globalization;
using Lute.Host.Running;
using Lute.Tests.Integration;
using Lute.Tests.Support;

namespace Lute.Tests.Observability;

/// <summary>
/// <c>lute completion bash|zsh</c>: the real shells source the printed script and their completion function is driven
/// as the line editor would drive it; candidates come from a real store and a real task file, and hostile task names
/// are inserted quoted, never run.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class CompletionSpecs
{
    private const string BashDriver = """
        source "$1"; shift
        COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 ))
        COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
        _lute_complete
        for reply in "${COMPREPLY[@]}"; do
            printf 'reply %s\n' "$reply"
            # What the shell makes of the inserted word when the line is run: the literal name, nothing executed.
            eval "printf 'word %s\n' $reply"
        done
        """;

    private const string ZshDriver = """
        compdef() { : }
        compadd() { [[ $1 == -- ]] && shift; for c in "$@"; do print -r -- "reply $c"; done }
        source "$1"; shift
        words=("$@"); CURRENT=$#
        BUFFER="${(j: :)words}"; CURSOR=${#BUFFER}
        _lute
        """;

    [Fact]
    public async Task Bash_completes_verbs_run_ids_from_the_store_and_task_names_from_the_task_file()
    {
        using var workspace = Workspace.Create();
        var tasks = WriteTasks(workspace);
        var ids = await RunTwiceAsync(workspace, tasks);
        var script = await ScriptAsync(workspace, "bash");
        var driver = workspace.Write("drive.bash", BashDriver);

        var verbs = await CompleteAsync(workspace, "bash", driver, script, Repo.Lute, "sh");
        var shown = await CompleteAsync(workspace, "bash", driver, script, Repo.Lute, "show", string.Empty);
        var cancel = await CompleteAsync(workspace, "bash", driver, script, Repo.Lute, "cancel", string.Empty);
        var names = await CompleteAsync(workspace, "bash", driver, script, Repo.Lute, "run", tasks, string.Empty);

        Assert.Contains("reply show", verbs);
        Assert.All(ids, id => Assert.Contains($"reply {id}", shown));
        Assert.All(ids, id => Assert.Contains($"reply {id}", cancel));
        Assert.Contains("word Alpha", names);
        Assert.Contains($"word {Hostile(workspace)[0]}", names);
        Assert.Contains($"word {Hostile(workspace)[1]}", names);
        Assert.False(File.Exists(workspace.PathOf("marker")), "a task name was executed by the shell");
    }

    [Fact]
    public async Task Zsh_completes_run_ids_and_task_names_without_running_what_a_name_holds()
    {
        using var workspace = Workspace.Create();
        var tasks = WriteTasks(workspace);
        var ids = await RunTwiceAsync(workspace, tasks);
        var script = await ScriptAsync(workspace, "zsh");
        var driver = workspace.Write("drive.zsh", ZshDriver);

        var logs = await CompleteAsync(workspace, "zsh", driver, script, Repo.Lute, "logs", string.Empty);
        var names = await CompleteAsync(workspace, "zsh", driver, script, Repo.Lute, "validate", tasks, string.Empty);

        Assert.All(ids, id => Assert.Contains($"reply {id}", logs));
        Assert.Contains("reply Alpha", names);
        Assert.All(Hostile(workspace), name => Assert.Contains($"reply {name}", names));
        Assert.False(File.Exists(workspace.PathOf("marker")), "a task name was executed by the shell");
    }

    private static string[] Hostile(Workspace workspace) =>
        [$"Be$(touch {workspace.PathOf("marker")})ta", $"it's `touch {workspace.PathOf("marker")}` \"two\""];

    private static string WriteTasks(Workspace workspace)
    {
        var hostile = Hostile(workspace);
        return workspace.Write("tasks.yaml", $"""
            tasks:
              Alpha:
                command: [/bin/true]
              '{hostile[0]}':
                command: [/bin/true]
              '{hostile[1].Replace("'", "''", StringComparison.Ordinal)}':
                command: [/bin/true]
            """);
    }

    private static async Task<string[]> RunTwiceAsync(Workspace workspace, string tasks)
    {
        var ids = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var (code, run) = await workspace.LuteAsync("run", tasks, "Alpha");
            Assert.True(code == ExitCodes.Completed, run.Output);
            ids.Add((await workspace.LatestRunAsync()).Id.ToString(CultureInfo.InvariantCulture));
        }

        return [.. ids];
    }

    private static async Task<string> ScriptAsync(Workspace workspace, string shell)
    {
        var (code, printed) = await workspace.LuteAsync("completion", shell);
        Assert.True(code == 0, printed.Output);
        return workspace.Write($"lute.{shell}", string.Join('\n', printed.Stdout) + "\n");
    }

    private static async Task<IReadOnlyList<string>> CompleteAsync(Workspace workspace, string shell, string driver, string script, params string[] words)
    {
        using var process = ChildProcess.Start(shell, [.. ShellOptions(shell), driver, script, .. words], workspace.Root,
            new Dictionary<string, string?> { ["LUTE_CONFIG"] = workspace.ConfigPath });
        Assert.True(await process.WaitForExitAsync(Workspace.DefaultTimeout) == 0, process.Output);
        return process.Stdout;
    }

    private static string[] ShellOptions(string shell) => shell == "zsh" ? ["-f"] : ["--noprofile", "--norc"];
}
