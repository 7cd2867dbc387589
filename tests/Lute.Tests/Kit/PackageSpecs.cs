using System.IO.Compression;
using System.Xml.Linq;
using Lute.Contracts;
using Lute.Tests.Support;

namespace Lute.Tests.Kit;

/// <summary>What ./build.sh packs into out/packages, read from the package files themselves.</summary>
public sealed class PackageSpecs
{
    public static TheoryData<string> Libraries => ["Lute.Contracts", "Lute.Hooks.Support", "Lute.Client"];

    [Fact]
    public void The_versions_are_written_once_and_the_contracts_package_carries_the_contract_version()
    {
        Assert.Equal($"{ContractVersion.Major}.{ContractVersion.Minor}", string.Join('.', Versions.Contracts.Split('.')[..2]));
        var assembly = typeof(IExecutor).Assembly.GetName().Version!;
        Assert.Equal(Versions.Contracts, $"{assembly.Major}.{assembly.Minor}.{assembly.Build}");
        Assert.Equal(Versions.Contracts, Nuspec("Lute.Contracts").Element("version"));
        Assert.Equal(Versions.Lute, Nuspec("Lute.Hooks.Support").Element("version"));
        Assert.Equal(Versions.Lute, Nuspec("Lute.Client").Element("version"));
        Assert.Equal(Versions.Lute, Nuspec("Lute.Templates").Element("version"));
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public void A_library_package_has_its_readme_license_repository_xml_docs_and_symbols(string id)
    {
        var nuspec = Nuspec(id);
        using var package = ZipFile.OpenRead(PackagePath(id, ".nupkg"));
        var files = package.Entries.Select(e => e.FullName).ToList();

        Assert.Equal("MIT", nuspec.Element("license"));
        Assert.Equal("README.md", nuspec.Element("readme"));
        Assert.Contains("README.md", files);
        Assert.Contains($"lib/net10.0/{id}.dll", files);
        Assert.Contains($"lib/net10.0/{id}.xml", files);
        Assert.Equal("git", nuspec.Root.Descendants(nuspec.Ns + "repository").Single().Attribute("type")?.Value);
        using var symbols = ZipFile.OpenRead(PackagePath(id, ".snupkg"));
        Assert.Contains($"lib/net10.0/{id}.pdb", symbols.Entries.Select(e => e.FullName));
    }

    [Fact]
    public void The_hook_support_package_depends_on_the_contracts_without_their_runtime_assets()
    {
        var nuspec = Nuspec("Lute.Hooks.Support");
        var contracts = nuspec.Root.Descendants(nuspec.Ns + "dependency").Single(d => d.Attribute("id")?.Value == "Lute.Contracts");

        Assert.Equal(Versions.Contracts, contracts.Attribute("version")?.Value);
        Assert.Contains("Runtime", contracts.Attribute("exclude")?.Value ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public void The_template_pack_holds_three_templates_with_this_builds_versions_filled_in()
    {
        using var package = ZipFile.OpenRead(PackagePath("Lute.Templates", ".nupkg"));
        var templates = package.Entries.Where(e => e.FullName.EndsWith(".template.config/template.json", StringComparison.Ordinal)).ToList();
        var projects = package.Entries.Where(e => e.FullName.EndsWith(".csproj", StringComparison.Ordinal)).Select(Read).ToList();

        Assert.Equal(["executor", "hookpack", "tasklet"], templates.Select(e => e.FullName.Split('/')[2]).Order());
        Assert.Equal(6, projects.Count);
        Assert.All(projects, p => Assert.DoesNotContain("LUTE_", p, StringComparison.Ordinal));
        Assert.All(projects, p => Assert.Contains($"\"Lute.Contracts\" Version=\"{Versions.Contracts}\"", p, StringComparison.Ordinal));
        Assert.Contains(projects, p => p.Contains($"\"Lute.Hooks.Support\" Version=\"{Versions.Lute}\"", StringComparison.Ordinal));
    }

    [Fact]
    public void The_sample_hook_pack_references_the_packages_of_this_build()
    {
        var project = File.ReadAllText(Path.Combine(Repo.Root, "samples", "MyFacility.Hooks", "MyFacility.Hooks.csproj"));

        Assert.Contains($"\"Lute.Contracts\" Version=\"{Versions.Contracts}\" ExcludeAssets=\"runtime\"", project, StringComparison.Ordinal);
        Assert.Contains($"\"Lute.Hooks.Support\" Version=\"{Versions.Lute}\"", project, StringComparison.Ordinal);
        Assert.DoesNotContain("ProjectReference", project, StringComparison.Ordinal);
        Assert.DoesNotContain("LuteRoot", project, StringComparison.Ordinal);
    }

    private static string Read(ZipArchiveEntry entry)
    {
        using var reader = new StreamReader(entry.Open());
        return reader.ReadToEnd();
    }

    private static string PackagePath(string id, string extension)
    {
        var version = id == "Lute.Contracts" ? Versions.Contracts : Versions.Lute;
        var path = Path.Combine(Repo.Out, "packages", $"{id}.{version}{extension}");
        Assert.True(File.Exists(path), $"{path} is missing; ./build.sh packs it");
        return path;
    }

    private static NuspecFile Nuspec(string id)
    {
        using var package = ZipFile.OpenRead(PackagePath(id, ".nupkg"));
        return new NuspecFile(XDocument.Parse(Read(package.Entries.Single(e => e.FullName == id + ".nuspec"))));
    }

    /// <summary>The versions Directory.Build.props sets: lute's, and the contracts'.</summary>
    private static class Versions
    {
        private static readonly XDocument Props = XDocument.Load(Path.Combine(Repo.Root, "Directory.Build.props"));

        public static string Lute => Property("LuteVersion");

        public static string Contracts => Property("LuteContractsVersion");

        private static string Property(string name) => Props.Descendants(name).Single().Value;
    }

    private sealed class NuspecFile(XDocument document)
    {
        public XElement Root => document.Root!;

        public XNamespace Ns => Root.Name.Namespace;

        public string? Element(string name) => Root.Descendants(Ns + name).FirstOrDefault()?.Value;
    }
}
