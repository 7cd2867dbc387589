using Lute.Host.Running;
using Lute.Tests.Support;

namespace Lute.Tests.Integration;

/// <summary>Where LUTE is the reference: stored names, sourced environments; and what a new user meets first.</summary>
[Collection(ProcessCollection.Name)]
public sealed class LuteSemanticsSpecs
{
    [Fact]
    public async Task A_numbered_copy_of_a_task_is_stored_under_its_base_name_with_its_full_name_and_description_kept()
    {
        using var workspace = Workspace.Create();
        var (code, process) = await workspace.RunTaskAsync("""
            tasks:
              Index_01:
                description: "indexes panel 1 of the detector"
                command: ["true"]
            """);

        Assert.True(code == ExitCodes.Completed, process.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Equal("Index", run.Task);
        Assert.Equal("Index_01", run.TaskFullName);
        Assert.Equal("indexes panel 1 of the detector", run.Description);
        var (_, byBase) = await workspace.LuteAsync("history", "--task", "Index");
        var (_, byFull) = await workspace.LuteAsync("history", "--task", "Index_01");
        Assert.Matches(@"^1\s+Index_01\s+local\s+COMPLETED", byBase.Stdout[1]);
        Assert.Matches(@"^1\s+Index_01\s+local\s+COMPLETED", byFull.Stdout[1]);
        var (_, show) = await workspace.LuteAsync("show", "1");
        Assert.Contains("task:          Index (as given: Index_01)", show.Stdout);
        Assert.Contains("description:   indexes panel 1 of the detector", show.Stdout);
    }

    [Fact]
    public async Task A_sourced_script_exports_what_it_assigns_without_export_and_a_relative_path_is_the_task_files()
    {
        using var workspace = Workspace.Create();
        workspace.Write("analysis/setup.sh", "PLAIN='assigned only'\nexport EXPORTED=yes\n");
        var tasks = workspace.Write("analysis/tasks.yaml", """
            tasks:
              Sourced:
                command: [sh, -c, 'echo "$PLAIN|$EXPORTED"']
                environment: { source: setup.sh }
            """);
        // lute runs from the workspace's root, not from the task file's folder.
        var (code, process) = await workspace.LuteAsync("run", tasks);

        Assert.True(code == ExitCodes.Completed, process.Output);
        Assert.Contains(process.Stderr, l => l.EndsWith("[Sourced stdout] assigned only|yes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Show_prints_and_the_store_keeps_readable_json_for_apostrophes_accents_and_emoji()
    {
        using var workspace = Workspace.Create();
        workspace.Write("send.py", """
            import lute_task
            with lute_task.connect() as lute:
                lute.result(payload={"note": "it's a caf\u00e9 \U0001F680"}, summary={"mood": "\U0001F680 it's"})
            """);
        var (code, process) = await workspace.RunTaskAsync($$"""
            tasks:
              Readable:
                parameters: { quote: "don't" }
                command: [python3, send.py]
                environment: { prepend: { PYTHONPATH: "{{Repo.PythonClient}}" } }
            """);

        Assert.True(code == ExitCodes.Completed, process.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Equal("""{"note":"it's a café 🚀"}""", workspace.StoredText(run.Id, "payload"));
        Assert.Contains("\"mood\":\"🚀 it's\"", workspace.StoredText(run.Id, "summary"), StringComparison.Ordinal);
        Assert.Contains("\"quote\":\"don't\"", workspace.StoredText(run.Id, "parameters"), StringComparison.Ordinal);
        var (_, show) = await workspace.LuteAsync("show", "1");
        var text = string.Join('\n', show.Stdout);
        Assert.Contains("\"note\": \"it's a café 🚀\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_and_show_without_a_store_say_so_and_create_nothing()
    {
        using var workspace = Workspace.Create();

        var (historyCode, history) = await workspace.LuteAsync("history");
        var (showCode, show) = await workspace.LuteAsync("show", "1");

        Assert.Equal(0, historyCode);
        Assert.Contains(history.Stdout, l => l.Contains($"there is no result store at {workspace.StorePath} yet", StringComparison.Ordinal));
        Assert.Equal(ExitCodes.BadInput, showCode);
        Assert.Contains(show.Stderr, l => l.Contains("there is no run 1: there is no result store", StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.GetDirectoryName(workspace.StorePath)), "a reading command created the store's folder");
    }

    [Fact]
    public async Task History_limit_zero_shows_no_row_and_a_negative_limit_is_refused()
    {
        using var workspace = Workspace.Create();
        var (runCode, run) = await workspace.RunTaskAsync("tasks:\n  One:\n    command: [\"true\"]\n");
        Assert.True(runCode == ExitCodes.Completed, run.Output);

        var (zeroCode, zero) = await workspace.LuteAsync("history", "-n", "0");
        var (oneCode, one) = await workspace.LuteAsync("history", "-n", "1");
        var (negativeCode, negative) = await workspace.LuteAsync("history", "-n", "-1");

        Assert.Equal(0, zeroCode);
        Assert.Single(zero.Stdout);
        Assert.StartsWith("ID", zero.Stdout[0], StringComparison.Ordinal);
        Assert.Equal(0, oneCode);
        Assert.Equal(2, one.Stdout.Count);
        Assert.Equal(ExitCodes.BadInput, negativeCode);
        Assert.Contains(negative.Stderr, l => l.Contains("--limit must be 0 or more", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_folder_given_as_the_task_file_is_named_as_a_folder()
    {
        using var workspace = Workspace.Create();
        Directory.CreateDirectory(workspace.PathOf("tasks"));

        var (code, process) = await workspace.LuteAsync("run", workspace.PathOf("tasks"));

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(process.Stderr, l => l.Contains($"cannot read task file '{workspace.PathOf("tasks")}': it is a folder", StringComparison.Ordinal));
        Assert.DoesNotContain(process.Stderr, l => l.Contains("denied", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task The_top_level_help_shows_optional_arguments_in_brackets()
    {
        using var workspace = Workspace.Create();

        var (code, help) = await workspace.LuteAsync("--help");

        Assert.Equal(0, code);
        Assert.Contains(help.Stdout, l => l.StartsWith("  run <task-file> [task] ", StringComparison.Ordinal));
        Assert.Contains(help.Stdout, l => l.StartsWith("  emit <signal> [contents] ", StringComparison.Ordinal));
        Assert.Contains(help.Stdout, l => l.StartsWith("  show <run> ", StringComparison.Ordinal));
        // The descriptions stay in one column.
        var column = help.Stdout.Where(l => l.StartsWith("  run ", StringComparison.Ordinal) || l.StartsWith("  show ", StringComparison.Ordinal))
            .Select(l => l.IndexOf("  ", 4, StringComparison.Ordinal) + l[l.IndexOf("  ", 4, StringComparison.Ordinal)..].TakeWhile(c => c == ' ').Count())
            .Distinct();
        Assert.Single(column);
    }

    [Fact]
    public async Task A_missing_plugin_directory_is_named_with_where_it_was_set_by_run_and_by_plugins()
    {
        using var workspace = Workspace.Create();
        File.WriteAllText(workspace.ConfigPath, "directory: no-such-plugins\nstore: store/lute.db\n");
        var missing = workspace.PathOf("no-such-plugins");

        var (runCode, run) = await workspace.RunTaskAsync("tasks:\n  One:\n    command: [\"true\"]\n");
        var (pluginsCode, plugins) = await workspace.LuteAsync("plugins");

        Assert.Equal(ExitCodes.BadInput, runCode);
        Assert.Contains(run.Stderr, l => l.Contains("no executor named 'local'", StringComparison.Ordinal)
                                         && l.Contains($"the plugin directory {missing} does not exist (set by 'directory' at {workspace.ConfigPath}:1:12)", StringComparison.Ordinal)
                                         && l.Contains("./build.sh", StringComparison.Ordinal));
        Assert.DoesNotContain(run.Stderr, l => l.Contains("a executor", StringComparison.Ordinal));
        Assert.Equal(ExitCodes.BadInput, pluginsCode);
        Assert.Contains(plugins.Stderr, l => l.Contains($"the plugin directory {missing} does not exist", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_empty_plugin_directory_says_an_executor()
    {
        using var workspace = Workspace.Create();
        Directory.CreateDirectory(workspace.PathOf("empty"));
        File.WriteAllText(workspace.ConfigPath, "directory: empty\nstore: store/lute.db\n");

        var (code, run) = await workspace.RunTaskAsync("tasks:\n  One:\n    command: [\"true\"]\n");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(run.Stderr, l => l.Contains("install a plugin that provides an executor", StringComparison.Ordinal));
    }
}
