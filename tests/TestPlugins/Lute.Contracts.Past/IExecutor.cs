namespace Lute.Contracts;

/// <summary>The executor contract as an early 0.9 version declared it.</summary>
public interface IExecutor
{
    /// <summary>Runs a task to its end and returns its exit code.</summary>
    Task<int> RunAsync(string[] command, CancellationToken cancellationToken = default);
}
