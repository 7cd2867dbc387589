namespace Lute.Contracts;

/// <summary>The executor contract as a hypothetical newer version might declare it.</summary>
public interface IExecutor
{
    /// <summary>Starts a task.</summary>
    Task StartAsync(string command, CancellationToken cancellationToken = default);
}
