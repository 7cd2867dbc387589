using Lute.Contracts;

namespace Lute.TestPlugins.FutureContract;

/// <summary>An executor built against contracts 2.0, which this host must refuse.</summary>
public sealed class FutureExecutor : IExecutor
{
    /// <inheritdoc />
    public Task StartAsync(string command, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
