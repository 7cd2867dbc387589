using Lute.Contracts;

namespace Lute.TestPlugins.PastContract;

/// <summary>An executor built against contracts 0.9, which this host must refuse.</summary>
public sealed class PastExecutor : IExecutor
{
    /// <inheritdoc />
    public Task<int> RunAsync(string[] command, CancellationToken cancellationToken = default) => Task.FromResult(0);
}
