using Lute.Contracts;
using PublicApiGenerator;

namespace Lute.Tests;

public sealed class ContractApiSpecs
{
    /// <summary>
    /// The contracts' public API is frozen: any change to it must update contracts/Lute.Contracts/PublicAPI.approved.txt
    /// deliberately (and, when it breaks plugins, the contract major version).
    /// </summary>
    [Fact]
    public void Public_api_of_the_contracts_matches_the_approved_file()
    {
        var approvedPath = Path.Combine(Support.Repo.Root, "contracts", "Lute.Contracts", "PublicAPI.approved.txt");
        var actual = typeof(IExecutor).Assembly.GeneratePublicApi(new ApiGeneratorOptions { ExcludeAttributes = ["System.Runtime.Versioning.SupportedOSPlatformAttribute"] }).ReplaceLineEndings("\n");

        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : string.Empty;
        if (approved != actual)
        {
            File.WriteAllText(approvedPath.Replace("approved.txt", "received.txt", StringComparison.Ordinal), actual);
        }

        Assert.True(approved == actual, $"The public API of Lute.Contracts changed. Review contracts/Lute.Contracts/PublicAPI.received.txt; if the change is intended, copy it over PublicAPI.approved.txt (and raise the contract version if it breaks plugins).");
    }

    [Fact]
    public void Contract_assembly_version_carries_the_contract_version()
    {
        var version = typeof(IExecutor).Assembly.GetName().Version!;

        Assert.Equal(ContractVersion.Major, version.Major);
        Assert.Equal(ContractVersion.Minor, version.Minor);
    }
}
