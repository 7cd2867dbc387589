using Lute.Contracts;

namespace Lute.TestPlugins.NextMinorContract;

/// <summary>An executor built against contracts 1.99, newer than this host's, which it must refuse.</summary>
public sealed class NextMinorExecutor : IExecutor
{
    /// <inheritdoc />
    public Task StartAsync(string command, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
