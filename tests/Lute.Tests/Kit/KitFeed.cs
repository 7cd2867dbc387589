using System.Diagnostics;
using Lute.Tests.Support;

namespace Lute.Tests.Kit;

/// <summary>
/// What a plugin author has who got only the released packages: a folder outside the repository with a copy of
/// the packages ./build.sh put into out/packages as a NuGet source beside nuget.org, its own NuGet cache and its own
/// .NET home (so nothing comes from the repository build's cache, and the template pack is installed only here).
/// Shared by the process tests that build plugins from packages, so that they restore into one cache. Nothing is
/// checked when it is created; the first use fails loudly when the packages are missing.
/// </summary>
public sealed class KitFeed : IDisposable
{
    /// <summary>The packages the kit is made of; each must be in out/packages.</summary>
    public static readonly IReadOnlyList<string> Packages = ["Lute.Contracts", "Lute.Hooks.Support", "Lute.Client", "Lute.Templates", "lute", "lute.linux-x64"];

    private static readonly TimeSpan CommandLimit = TimeSpan.FromMinutes(6);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _ready;

    public KitFeed() => Root = Directory.CreateTempSubdirectory("lute-kit-").FullName;

    /// <summary>The folder everything of the kit is in (under the system's temporary folder).</summary>
    public string Root { get; }

    public string FeedDirectory => Path.Combine(Root, "feed");

    public string PackageCache => Path.Combine(Root, "nuget-packages");

    /// <summary>Where generated and copied projects go: nuget.config of <see cref="Root"/> applies to them.</summary>
    public string SourceDirectory => Path.Combine(Root, "src");

    /// <summary>The environment of every dotnet command of the kit.</summary>
    public IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?>
    {
        ["HOME"] = Path.Combine(Root, "home"),
        ["DOTNET_CLI_HOME"] = Path.Combine(Root, "home"),
        ["NUGET_PACKAGES"] = PackageCache,
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
        ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
        ["MSBUILDDISABLENODEREUSE"] = "1",
        // What a build or test host around these tests may have set for its own MSBuild.
        ["MSBuildSDKsPath"] = null,
        ["MSBUILD_EXE_PATH"] = null,
        ["MSBuildExtensionsPath"] = null,
    };

    /// <summary>The feed, nuget.config and the template pack, made once; fails when out/packages lacks a package.</summary>
    public async Task EnsureReadyAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_ready)
            {
                return;
            }

            CopyPackages();
            Directory.CreateDirectory(SourceDirectory);
            File.WriteAllText(Path.Combine(Root, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
                    <add key="lute" value="{FeedDirectory}" />
                  </packageSources>
                  <packageSourceMapping>
                    <packageSource key="lute"><package pattern="Lute.*" /></packageSource>
                    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
                  </packageSourceMapping>
                </configuration>
                """);
            var templates = Directory.GetFiles(FeedDirectory, "Lute.Templates.*.nupkg").Single();
            await DotnetAsync(Root, "new", "install", templates);
            _ready = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs <c>dotnet ARGS</c> in <paramref name="workingDirectory"/>; a non-zero exit fails the test with the output.</summary>
    public async Task<(string Output, TimeSpan Took)> DotnetAsync(string workingDirectory, params string[] arguments)
    {
        var clock = Stopwatch.StartNew();
        using var process = ChildProcess.Start("dotnet", arguments, workingDirectory, Environment);
        var code = await process.WaitForExitAsync(CommandLimit);
        Assert.True(code == 0, $"dotnet {string.Join(' ', arguments)} exited with {code}:\n{process.Output}");
        return (process.Output, clock.Elapsed);
    }

    /// <summary><c>dotnet new TEMPLATE -n NAME</c> into <see cref="SourceDirectory"/>/NAME; returns that folder.</summary>
    public async Task<string> NewAsync(string template, string name)
    {
        await EnsureReadyAsync();
        var folder = Path.Combine(SourceDirectory, name);
        await DotnetAsync(SourceDirectory, "new", template, "-n", name, "-o", folder, "--no-update-check");
        return folder;
    }

    /// <summary>Installs the lute tool from the feed into a tool path of its own; returns the program's path.</summary>
    public async Task<string> InstallToolAsync()
    {
        await EnsureReadyAsync();
        var tools = Path.Combine(Root, "tools");
        if (!File.Exists(Path.Combine(tools, "lute")))
        {
            // --source, not --add-source: only this feed is asked, so a package of the same name elsewhere cannot win.
            await DotnetAsync(Root, "tool", "install", "lute", "--tool-path", tools, "--source", FeedDirectory);
        }

        return Path.Combine(tools, "lute");
    }

    /// <summary><c>dotnet build PROJECT -c Release -p:LutePluginDirectory=DIR</c>.</summary>
    public Task<(string Output, TimeSpan Took)> BuildIntoAsync(string project, string pluginDirectory) =>
        DotnetAsync(Path.GetDirectoryName(project)!, "build", project, "-c", "Release", "--disable-build-servers", "-nologo",
            $"-p:LutePluginDirectory={pluginDirectory}");

    public void Dispose()
    {
        _gate.Dispose();
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

    private void CopyPackages()
    {
        var built = Path.Combine(Repo.Out, "packages");
        Directory.CreateDirectory(FeedDirectory);
        foreach (var package in Packages)
        {
            var files = Directory.Exists(built)
                ? Directory.GetFiles(built, package + ".*.nupkg").Where(f => IsPackage(f, package)).ToArray()
                : [];
            Assert.True(files.Length == 1, $"{built} must hold exactly one {package} package (found {files.Length}); run ./build.sh, which packs them");
            File.Copy(files[0], Path.Combine(FeedDirectory, Path.GetFileName(files[0])));
        }
    }

    /// <summary>Lute.Hooks.Support.0.1.0.nupkg is not a Lute.Hooks package: the rest of the name must be a version.</summary>
    private static bool IsPackage(string file, string package) =>
        char.IsAsciiDigit(Path.GetFileName(file)[(package.Length + 1)..][0]);
}
