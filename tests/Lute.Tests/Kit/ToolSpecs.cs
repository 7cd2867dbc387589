using Lute.Tests.Integration;
using Lute.Tests.Support;

namespace Lute.Tests.Kit;

/// <summary>lute as a .NET tool installed from the feed: it carries its plugins and its Python client.</summary>
[Collection(ProcessCollection.Name)]
public sealed class ToolSpecs(KitFeed kit)
{
    [Fact]
    public async Task The_tool_installed_into_a_tool_path_runs_the_example_with_the_plugins_it_carries()
    {
        var lute = await kit.InstallToolAsync();
        using var workspace = Workspace.Create();
        var examples = workspace.PathOf("examples");
        Directory.CreateDirectory(examples);
        foreach (var file in Directory.GetFiles(Path.Combine(Repo.Root, "examples")))
        {
            File.Copy(file, Path.Combine(examples, Path.GetFileName(file)));
        }

        // No plugins.yaml: the tool's embedded defaults, with a store under this workspace.
        var environment = new Dictionary<string, string?>(kit.Environment)
        {
            ["XDG_DATA_HOME"] = workspace.PathOf("data"),
            ["PYTHONPATH"] = null,
            ["LUTE_CONFIG"] = null,
        };
        // From a folder without plugins.yaml.
        var run = await RunAsync(lute, examples, environment, "run", "hello.yaml");
        var plugins = await RunAsync(lute, examples, environment, "plugins");

        Assert.True(run.Code == 0, run.Process.Output);
        Assert.True(File.Exists(workspace.PathOf(".lute/example-output/hello-0007.txt")), run.Process.Output);
        Assert.True(File.Exists(workspace.PathOf("data/lute/lute.db")), run.Process.Output);
        var directory = plugins.Process.Stdout.Single(l => l.StartsWith("Plugin directory: ", StringComparison.Ordinal));
        Assert.StartsWith("Plugin directory: " + Path.Combine(Path.GetDirectoryName(lute)!, ".store", "lute"), directory, StringComparison.Ordinal);
        Assert.Contains(plugins.Process.Stdout, l => l.StartsWith("Lute.Executors.Local ", StringComparison.Ordinal) && l.EndsWith(": loaded", StringComparison.Ordinal));
        Assert.Contains(plugins.Process.Stdout, l => l.StartsWith("Lute.Hooks.Webhook ", StringComparison.Ordinal) && l.EndsWith(": loaded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_tool_installed_through_a_local_manifest_runs_as_dotnet_lute_with_its_plugins()
    {
        await kit.EnsureReadyAsync();
        var project = Path.Combine(kit.Root, "project-with-manifest");
        Directory.CreateDirectory(project);
        await kit.DotnetAsync(project, "new", "tool-manifest");
        await kit.DotnetAsync(project, "tool", "install", "lute", "--source", kit.FeedDirectory);

        var (plugins, _) = await kit.DotnetAsync(project, "lute", "plugins");

        var lines = plugins.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("Plugin directory: " + Path.Combine(kit.PackageCache, "lute."), StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Lute.Executors.Local ", StringComparison.Ordinal) && l.EndsWith(": loaded", StringComparison.Ordinal));
    }

    private static async Task<(int Code, ChildProcess Process)> RunAsync(string lute, string directory, IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var process = ChildProcess.Start(lute, arguments, directory, environment);
        return (await process.WaitForExitAsync(Workspace.DefaultTimeout), process);
    }
}
