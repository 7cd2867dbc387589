namespace Lute.Contracts;

/// <summary>
/// Where a hook records what it could not deliver to an outside service (after its retries), so that nothing that
/// can be kept is lost: the runner records every entry with the run's result (<c>lute show RUN</c> prints them).
/// </summary>
public interface IUndeliveredLog
{
    /// <summary>Records one undelivered request. Safe to call from any thread; never throws.</summary>
    /// <param name="post">What was not delivered, and why. It must hold no secret (no credentials, no tokens).</param>
    void Record(UndeliveredPost post);
}
