using Lute.Host.Running;
using Lute.Tests.Support;

namespace Lute.Tests.Integration;

[Collection(ProcessCollection.Name)]
public sealed class ConfigurationErrorSpecs
{
    [Fact]
    public async Task Bad_yaml_names_file_line_and_column_and_records_nothing()
    {
        using var workspace = Workspace.Create();
        var path = workspace.Write("tasks.yaml", "tasks:\n  Broken:\n    command: [echo, \"unclosed\n");

        var (code, process) = await workspace.LuteAsync("run", path);

        Assert.True(code == ExitCodes.BadInput, process.Output);
        Assert.Contains(process.Stderr, l => l.StartsWith($"lute: error: {path}:", StringComparison.Ordinal) && l.Contains("not valid YAML", StringComparison.Ordinal));
        Assert.False(File.Exists(workspace.StorePath));
    }

    [Fact]
    public async Task Unknown_template_name_is_an_error_that_names_it()
    {
        using var workspace = Workspace.Create();
        var path = workspace.Write("tasks.yaml", "tasks:\n  T:\n    command: [echo, \"{{ missing_name }}\"]\n");

        var (code, process) = await workspace.LuteAsync("run", path);

        Assert.True(code == ExitCodes.BadInput, process.Output);
        Assert.Contains(process.Stderr, l => l.Contains($"{path}:3:21: unknown name 'missing_name'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unknown_executor_lists_the_available_ones()
    {
        using var workspace = Workspace.Create();
        var path = workspace.Write("tasks.yaml", "tasks:\n  T:\n    executor: warp-drive\n    command: [echo]\n");

        var (code, process) = await workspace.LuteAsync("run", path);

        Assert.True(code == ExitCodes.BadInput, process.Output);
        Assert.Contains(process.Stderr, l => l.Contains($"{path}:3:15: no executor named 'warp-drive'; fix: write one of the available executors: local", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_executor_name_two_plugins_claim_stops_the_run_naming_both_and_the_fix()
    {
        using var workspace = Workspace.Create("Lute.TestPlugins.Rival");
        var path = workspace.Write("tasks.yaml", "tasks:\n  T:\n    command: [echo, never]\n");

        var (code, process) = await workspace.LuteAsync("run", path);

        Assert.True(code == ExitCodes.BadInput, process.Output);
        Assert.Contains(process.Stderr, l => l.Contains("executor 'local' is provided by more than one plugin (Lute.Executors.Local, Lute.TestPlugins.Rival)", StringComparison.Ordinal));
        Assert.DoesNotContain("never", process.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(workspace.StorePath), "nothing is recorded for a run that could not start");

        // Disabling the rival in plugins.yaml settles it.
        workspace.WriteConfig("plugins:\n  - { name: Lute.TestPlugins.Rival, enabled: false }");
        var (settled, run) = await workspace.LuteAsync("run", path);
        Assert.True(settled == ExitCodes.Completed, run.Output);
    }

    [Fact]
    public async Task Bad_plugins_yaml_names_file_line_and_column()
    {
        using var workspace = Workspace.Create();
        workspace.WriteConfig("hooks:\n  - { use: x, on: [finished] }");
        var path = workspace.Write("tasks.yaml", "tasks:\n  T:\n    command: [echo]\n");

        var (code, process) = await workspace.LuteAsync("run", path);

        Assert.True(code == ExitCodes.BadInput, process.Output);
        Assert.Contains(process.Stderr, l => l.Contains($"{workspace.ConfigPath}:5:20: unknown event 'finished'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Missing_task_file_is_a_clear_error()
    {
        using var workspace = Workspace.Create();

        var (code, process) = await workspace.LuteAsync("run", "does-not-exist.yaml");

        Assert.True(code == ExitCodes.BadInput, process.Output);
        Assert.Contains(process.Stderr, l => l.Contains("cannot read task file 'does-not-exist.yaml'", StringComparison.Ordinal));
    }
}
