namespace Lute.Tests.Integration;

/// <summary>Tests that run real processes with timing-sensitive behaviour run one at a time on this 2-core machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessCollection
{
    public const string Name = "processes";
}
