namespace Lute.Contracts;

/// <summary>A communicator opened for one run. Disposing it releases every resource it holds.</summary>
public interface ICommunicatorSession : IAsyncDisposable
{
    /// <summary>What the session is, in words, recorded with the run (for example the socket path).</summary>
    string Description { get; }

    /// <summary>Environment variables the task needs to reach the session.</summary>
    IReadOnlyDictionary<string, string> TaskEnvironment { get; }

    /// <summary>Called once the task's process is launched; a session that reads the process's streams starts here.</summary>
    /// <param name="execution">The launched process.</param>
    /// <param name="cancellationToken">Cancels the attachment.</param>
    ValueTask AttachAsync(IExecution execution, CancellationToken cancellationToken = default);

    /// <summary>
    /// Called after the process has exited: completes when everything the task sent has been published, or when
    /// <paramref name="cancellationToken"/> fires (the runner bounds how long it waits).
    /// </summary>
    /// <param name="cancellationToken">Ends the wait.</param>
    Task DrainAsync(CancellationToken cancellationToken = default);
}
