namespace Lute.Contracts;

/// <summary>What a hook may do to the run it serves.</summary>
public interface IRunControl
{
    /// <summary>Stops the task (SIGSTOP to every process of the task) until it is continued.</summary>
    /// <param name="reason">Who asks and why, recorded in the log.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    ValueTask StopAsync(string reason, CancellationToken cancellationToken = default);

    /// <summary>Continues a stopped task (SIGCONT).</summary>
    /// <param name="reason">Who asks and why, recorded in the log.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    ValueTask ContinueAsync(string reason, CancellationToken cancellationToken = default);

    /// <summary>Cancels the run: graceful signal, then forceful after the grace period; the run ends CANCELLED.</summary>
    /// <param name="reason">Who asks and why, recorded with the result.</param>
    void Cancel(string reason);

    /// <summary>Adds a key/value pair to the run's summary.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value, kept as text.</param>
    void AddSummary(string key, string value);
}
