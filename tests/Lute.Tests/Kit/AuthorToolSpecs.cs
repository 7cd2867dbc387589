using System.Security.Cryptography;
using Lute.Host.Running;
using Lute.Tests.Integration;
using Lute.Tests.Support;

namespace Lute.Tests.Kit;

/// <summary><c>lute plugins verify</c> and <c>lute validate</c> as an author or a facility's CI runs them.</summary>
[Collection(ProcessCollection.Name)]
public sealed class AuthorToolSpecs
{
    [Fact]
    public async Task Verify_reports_a_good_plugin_with_its_components_and_the_sha256_to_pin()
    {
        using var workspace = Workspace.Create();
        var folder = Repo.Plugin("Lute.Hooks.Webhook");

        var (code, process) = await workspace.LuteAsync("plugins", "verify", folder);

        Assert.True(code == ExitCodes.Completed, process.Output);
        var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(folder, "Lute.Hooks.Webhook.dll"))));
        Assert.Contains($"SHA-256: {sha}", process.Stdout);
        Assert.Contains(process.Stdout, l => l.StartsWith("Contracts: built against 1.", StringComparison.Ordinal));
        Assert.Contains(process.Stdout, l => l.Contains("hook", StringComparison.Ordinal) && l.Contains("webhook.post", StringComparison.Ordinal));
        Assert.Contains("Missing dependencies: none", process.Stdout);
        Assert.Equal("Result: OK", process.Stdout[^1]);
    }

    [Fact]
    public async Task Verify_shows_the_settings_a_plugin_ships_in_its_plugin_yaml()
    {
        using var workspace = Workspace.Create();

        var (code, process) = await workspace.LuteAsync("plugins", "verify", Repo.Plugin("Lute.Executors.Slurm"));

        Assert.True(code == ExitCodes.Completed, process.Output);
        Assert.Contains("Settings (plugin.yaml, then plugins.yaml):", process.Stdout);
        Assert.Contains("  communicator: tcp", process.Stdout);
    }

    [Fact]
    public async Task Verify_fails_a_plugin_folder_that_carries_its_own_contracts()
    {
        using var workspace = Workspace.Create();
        var folder = CopyPlugin(Repo.TestPlugin("Lute.TestPlugins.Hooks"), workspace.PathOf("check/Lute.TestPlugins.Hooks"));
        File.Copy(Path.Combine(Repo.LuteDirectory, "Lute.Contracts.dll"), Path.Combine(folder, "Lute.Contracts.dll"));

        var (code, process) = await workspace.LuteAsync("plugins", "verify", folder);

        Assert.True(code == ExitCodes.Failed, process.Output);
        Assert.Contains(process.Stdout, l => l.StartsWith("Problem: the folder holds a copy of Lute.Contracts.dll", StringComparison.Ordinal));
        Assert.StartsWith("Result: FAILED", process.Stdout[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_names_a_dependency_missing_from_the_folder()
    {
        using var workspace = Workspace.Create();
        var folder = CopyPlugin(Repo.Plugin("Lute.Hooks.Webhook"), workspace.PathOf("check/Lute.Hooks.Webhook"));
        File.Delete(Path.Combine(folder, "Lute.Hooks.Support.dll"));

        var (code, process) = await workspace.LuteAsync("plugins", "verify", folder);

        Assert.True(code == ExitCodes.Failed, process.Output);
        Assert.Contains(process.Stdout, l => l.StartsWith("Missing dependencies: ", StringComparison.Ordinal) && l.Contains("Lute.Hooks.Support.dll", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_fails_a_plugin_built_against_another_major_contract_version_and_refuses_a_folder_that_is_no_plugin()
    {
        using var workspace = Workspace.Create();

        var (future, process) = await workspace.LuteAsync("plugins", "verify", Repo.TestPlugin("Lute.TestPlugins.FutureContract"));
        var (notPlugin, notPluginProcess) = await workspace.LuteAsync("plugins", "verify", workspace.PluginDirectory);

        Assert.True(future == ExitCodes.Failed, process.Output);
        Assert.Contains(process.Stdout, l => l.StartsWith("Loads: no: built against contracts 2.0", StringComparison.Ordinal));
        Assert.True(notPlugin == ExitCodes.BadInput, notPluginProcess.Output);
        Assert.Contains(notPluginProcess.Stderr, l => l.Contains("is not a plugin folder", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Validate_checks_every_task_without_running_or_recording_anything()
    {
        using var workspace = Workspace.Create();
        var file = workspace.Write("tasks.yaml", """
            tasks:
              One: { command: [sh, -c, 'touch ran-one'], parameters: { out: "{{ lute.task }}.txt" } }
              Two: { command: [sh, -c, 'touch ran-two'] }
            """);

        var (code, process) = await workspace.LuteAsync("validate", file);

        Assert.True(code == ExitCodes.Completed, process.Output);
        Assert.Contains(process.Stdout, l => l.StartsWith("One: ok (executor local", StringComparison.Ordinal));
        Assert.Contains(process.Stdout, l => l.StartsWith("Two: ok (executor local", StringComparison.Ordinal));
        Assert.Contains(process.Stdout, l => l.EndsWith($"2 task(s) valid (contracts {Lute.Contracts.ContractVersion.Text})", StringComparison.Ordinal));
        Assert.False(File.Exists(workspace.PathOf("ran-one")) || File.Exists(workspace.PathOf("ran-two")));
        Assert.False(File.Exists(workspace.StorePath), "validate records nothing");
    }

    [Theory]
    [InlineData("{ command: [sh, -c, true], executor: nowhere }", "nowhere")]
    [InlineData("{ command: [echo, \"{{ missing }}\"] }", "missing")]
    [InlineData("{ command: [echo], tasklets: { after: [ { use: no.such.tasklet } ] } }", "no.such.tasklet")]
    public async Task Validate_refuses_a_task_it_could_not_run_and_names_the_problem(string task, string named)
    {
        using var workspace = Workspace.Create();
        var file = workspace.Write("tasks.yaml", $"tasks:\n  Bad: {task}\n");

        var (code, process) = await workspace.LuteAsync("validate", file);

        Assert.True(code == ExitCodes.BadInput, process.Output);
        Assert.Contains(process.Stderr, l => l.Contains(named, StringComparison.Ordinal) && l.Contains("tasks.yaml", StringComparison.Ordinal));
        Assert.False(File.Exists(workspace.StorePath));
    }

    private static string CopyPlugin(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        return to;
    }
}
