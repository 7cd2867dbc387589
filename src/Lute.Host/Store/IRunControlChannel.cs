namespace Lute.Host.Store;

/// <summary>
/// A store through which any host reaches a run's runner: the runner is present while it holds its run (PostgreSQL:
/// a session-level advisory lock on the run's id, taken in the transaction that records the run), and what other
/// hosts ask of it (<c>lute stop|continue|cancel</c>) is recorded as a request and handed to the runner as soon as it
/// is made (LISTEN/NOTIFY), without polling. A SQLite store has no such channel: its runners are reached by signals
/// on their own host (<see cref="Running.RunnerSignals"/>).
/// </summary>
public interface IRunControlChannel
{
    /// <summary>
    /// Hands each request made for run <paramref name="id"/> (which this store recorded as started) to
    /// <paramref name="onRequest"/>, once, in the order made, until the result is disposed; requests made before
    /// this call are handed over at once.
    /// </summary>
    /// <param name="id">The run.</param>
    /// <param name="onRequest">What to do with a request; called on a background thread, one request at a time.</param>
    /// <param name="onProblem">Told, in words, when requests cannot be read or the channel was lost and is being restored.</param>
    /// <returns>Stops handing requests over.</returns>
    IDisposable Listen(long id, Func<RunControlRequest, ValueTask> onRequest, Action<string> onProblem);

    /// <summary>
    /// Asks the runner of <paramref name="run"/> to <paramref name="verb"/> its task, whatever its host; returns why it
    /// cannot be asked (the run ended, its runner is gone), or null when the request was made.
    /// </summary>
    /// <param name="run">The run, as read from this store.</param>
    /// <param name="verb">stop, continue or cancel.</param>
    /// <param name="askedBy">Who asks (user@host), recorded with the request and with the run's reason.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <exception cref="StoreException">The store cannot be reached, or this role may not make requests.</exception>
    Task<string?> RequestAsync(RunRecord run, string verb, string askedBy, CancellationToken cancellationToken);
}

/// <summary>What another host asked of a run's runner.</summary>
/// <param name="Verb">stop, continue or cancel.</param>
/// <param name="AskedBy">Who asked (user@host, as the asking host gave it).</param>
/// <param name="AskedAt">When.</param>
public sealed record RunControlRequest(string Verb, string AskedBy, DateTimeOffset AskedAt);
