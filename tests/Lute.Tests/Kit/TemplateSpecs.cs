using System.Diagnostics;
using System.Text.RegularExpressions;
using Lute.Contracts;
using Lute.Host.Running;
using Lute.Tests.Integration;
using Lute.Tests.Support;
using Xunit.Abstractions;

namespace Lute.Tests.Kit;

/// <summary>
/// The newcomer's path, from the packages only: <c>dotnet new</c> one of the templates outside the repository,
/// build it into a fresh plugin directory, see <c>lute plugins</c> list it, run a task that uses it, and run the
/// tests it came with.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed partial class TemplateSpecs(KitFeed kit, ITestOutputHelper output)
{
    [Fact]
    public async Task A_hook_pack_from_the_template_loads_and_its_hook_is_called_by_a_run()
    {
        var clock = Stopwatch.StartNew();
        using var workspace = Workspace.Create();
        var folder = await kit.NewAsync("lute-hookpack", "Acme.Hooks");
        AssertNothingPointsIntoTheRepository(folder);

        await kit.BuildIntoAsync(Path.Combine(folder, "Acme.Hooks", "Acme.Hooks.csproj"), workspace.PluginDirectory);
        var plugin = Path.Combine(workspace.PluginDirectory, "Acme.Hooks");
        Assert.True(File.Exists(Path.Combine(plugin, "Acme.Hooks.dll")));
        Assert.True(File.Exists(Path.Combine(plugin, "Lute.Hooks.Support.dll")), "a hook pack ships its copy of Lute.Hooks.Support");
        Assert.False(File.Exists(Path.Combine(plugin, "Lute.Contracts.dll")), "the contracts must come from lute, not the plugin folder");
        await AssertListedAsync(workspace, "Acme.Hooks", "acme.hooks.greet");
        var (verified, verify) = await workspace.LuteAsync("plugins", "verify", plugin);
        Assert.True(verified == 0, verify.Output);
        output.WriteLine($"hook pack: dotnet new to a loaded plugin in {clock.Elapsed.TotalSeconds:F1} s");

        workspace.WriteConfig("""
            hooks:
              - { use: acme.hooks.greet, on: [run_end], settings: { greeting: "hello from Acme" } }
            """);
        var (code, process) = await workspace.RunTaskAsync("tasks: { Scan: { command: [sh, -c, 'echo scanning'] } }");

        Assert.True(code == ExitCodes.Completed, process.Output);
        Assert.Equal("hello from Acme (Completed)", (await workspace.LatestRunAsync()).SummaryValues()["acme.hooks.greeting"]);
        await AssertGeneratedTestsPassAsync(folder, 3);
    }

    [Fact]
    public async Task An_executor_from_the_template_loads_and_runs_a_task()
    {
        using var workspace = Workspace.Create();
        var folder = await kit.NewAsync("lute-executor", "Acme.Executor");
        AssertNothingPointsIntoTheRepository(folder);

        await kit.BuildIntoAsync(Path.Combine(folder, "Acme.Executor", "Acme.Executor.csproj"), workspace.PluginDirectory);
        Assert.False(File.Exists(Path.Combine(workspace.PluginDirectory, "Acme.Executor", "Lute.Contracts.dll")));
        await AssertListedAsync(workspace, "Acme.Executor", "acme.executor");

        var (code, process) = await workspace.RunTaskAsync("""
            tasks:
              Scan:
                executor: acme.executor
                command: [sh, -c, 'echo "ran with $LUTE_TASK_NAME"; exit 0']
            """);

        Assert.True(code == ExitCodes.Completed, process.Output);
        Assert.Contains(process.Stderr, l => l.EndsWith("ran with Scan", StringComparison.Ordinal));
        var run = await workspace.LatestRunAsync();
        Assert.Equal("acme.executor", run.Executor);
        Assert.Equal("acme.executor", run.DetailValues()["launched_by"]);
        var unfit = workspace.Write("unfit.yaml", "tasks:\n  Scan:\n    executor: acme.executor\n    resources: { gpus: \"2\" }\n    command: [\"true\"]\n");
        var (checkedCode, validate) = await workspace.LuteAsync("validate", unfit);
        Assert.True(checkedCode == ExitCodes.BadInput, validate.Output);
        Assert.Contains(validate.Stderr, l => l.Contains("unfit.yaml:4:24: resource 'gpus' for executor 'acme.executor': is not a resource acme.executor takes", StringComparison.Ordinal));
        await AssertGeneratedTestsPassAsync(folder, 4);
    }

    [Fact]
    public async Task A_tasklet_from_the_template_loads_and_its_output_reaches_the_summary()
    {
        using var workspace = Workspace.Create();
        var folder = await kit.NewAsync("lute-tasklet", "Acme.Tasklets");
        AssertNothingPointsIntoTheRepository(folder);

        await kit.BuildIntoAsync(Path.Combine(folder, "Acme.Tasklets", "Acme.Tasklets.csproj"), workspace.PluginDirectory);
        await AssertListedAsync(workspace, "Acme.Tasklets", "acme.tasklets");

        var (code, process) = await workspace.RunTaskAsync("""
            tasks:
              Scan:
                command: [sh, -c, 'printf "a\nb\nc\n" > data.txt']
                tasklets:
                  after: [ { use: acme.tasklets, args: [data.txt], summary: true } ]
            """);

        Assert.True(code == ExitCodes.Completed, process.Output);
        var summary = (await workspace.LatestRunAsync()).SummaryValues();
        Assert.Equal("3", summary["lines"]);
        Assert.Equal("1", summary["files"]);
        await AssertGeneratedTestsPassAsync(folder, 2);
    }

    /// <summary>The generated project knows lute only through its packages.</summary>
    private static void AssertNothingPointsIntoTheRepository(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(Repo.Root.TrimEnd('/'), File.ReadAllText(file), StringComparison.Ordinal);
        }

        Assert.Contains(Directory.EnumerateFiles(folder, "*.csproj", SearchOption.AllDirectories), p => File.ReadAllText(p).Contains(
            $"\"Lute.Contracts\" Version=\"{ContractVersion.Major}.{ContractVersion.Minor}.", StringComparison.Ordinal));
    }

    private static async Task AssertListedAsync(Workspace workspace, string plugin, string component)
    {
        var (code, process) = await workspace.LuteAsync("plugins");
        Assert.True(code == 0, process.Output);
        Assert.Contains(process.Stdout, l => l.StartsWith(plugin + " ", StringComparison.Ordinal) && l.EndsWith(": loaded", StringComparison.Ordinal));
        Assert.Contains(process.Stdout, l => l.Contains(component, StringComparison.Ordinal));
    }

    private async Task AssertGeneratedTestsPassAsync(string folder, int tests)
    {
        var (text, took) = await kit.DotnetAsync(folder, "test", "--disable-build-servers", "-nologo");
        output.WriteLine($"generated tests in {took.TotalSeconds:F1} s");
        var summary = PassedLine().Match(text);
        Assert.True(summary.Success, text);
        Assert.Equal(tests.ToString(System.Globalization.CultureInfo.InvariantCulture), summary.Groups["passed"].Value);
        Assert.Equal("0", summary.Groups["failed"].Value);
    }

    [GeneratedRegex(@"Failed:\s+(?<failed>\d+), Passed:\s+(?<passed>\d+)")]
    private static partial Regex PassedLine();
}
