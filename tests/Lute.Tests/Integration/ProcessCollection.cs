using Lute.Tests.Kit;

namespace Lute.Tests.Integration;

/// <summary>
/// Tests that run real processes with timing-sensitive behaviour run one at a time on this 2-core machine. The
/// ones that build plugins from the packages share one <see cref="KitFeed"/> (one NuGet cache for their restores).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessCollection : ICollectionFixture<KitFeed>
{
    public const string Name = "processes";
}
