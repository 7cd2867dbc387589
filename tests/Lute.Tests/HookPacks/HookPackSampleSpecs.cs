using Lute.Host.Running;
using Lute.Tests.Integration;
using Lute.Tests.Kit;
using Lute.Tests.Support;

namespace Lute.Tests.HookPacks;

[Collection(ProcessCollection.Name)]
public sealed class HookPackSampleSpecs(KitFeed kit)
{
    [Fact]
    public async Task The_sample_hook_pack_copied_out_of_the_repository_builds_from_the_packages_into_a_plugin_directory_and_is_called()
    {
        await using var server = await FacilityServer.StartAsync();
        using var workspace = Workspace.Create();
        await kit.EnsureReadyAsync();
        var copy = Path.Combine(kit.SourceDirectory, "MyFacility.Hooks");
        CopySources(Path.Combine(Repo.Root, "samples", "MyFacility.Hooks"), copy);

        var (build, _) = await kit.BuildIntoAsync(Path.Combine(copy, "MyFacility.Hooks.csproj"), workspace.PluginDirectory);

        var folder = Path.Combine(workspace.PluginDirectory, "MyFacility.Hooks");
        Assert.True(File.Exists(Path.Combine(folder, "MyFacility.Hooks.dll")), build);
        Assert.False(File.Exists(Path.Combine(folder, "Lute.Contracts.dll")), "the contracts must come from lute, not the plugin folder");

        workspace.WriteConfig($$"""
            hooks:
              - use: myfacility.notify
                on: [started, run_end]
                settings: { url: "{{server.Url}}api", beamline: bl2, token: { env: MYFACILITY_TOKEN } }
            """);
        var (code, process) = await workspace.RunTaskAsync(
            """
            tasks:
              Scan:
                command: [sh, -c, 'lute emit started']
                environment: { prepend: { PATH: "LUTE_DIR" } }
            """.Replace("LUTE_DIR", Repo.LuteDirectory, StringComparison.Ordinal),
            new Dictionary<string, string?> { ["MYFACILITY_TOKEN"] = "facility-token-31" });

        Assert.True(code == ExitCodes.Completed, process.Output);
        var requests = server.Requests;
        Assert.Equal(["started", "done"], requests.Select(r => r.Json.GetProperty("event").GetString()));
        Assert.All(requests, r => Assert.Equal("/api/events", r.Path));
        Assert.All(requests, r => Assert.Equal("Bearer facility-token-31", r.Header("Authorization")));
        Assert.Equal("bl2", requests[0].Json.GetProperty("beamline").GetString());
        Assert.Equal("yes", (await workspace.LatestRunAsync()).SummaryValues()["myfacility.notified"]);
        var plugins = await workspace.LuteAsync("plugins");
        Assert.Contains(plugins.Process.Stdout, l => l.StartsWith("MyFacility.Hooks ", StringComparison.Ordinal) && l.EndsWith(": loaded", StringComparison.Ordinal));
    }

    private static void CopySources(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar)[0] is "bin" or "obj")
            {
                continue;
            }

            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
