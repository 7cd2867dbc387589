namespace Lute.Contracts;

/// <summary>
/// The root of every error Lute.Plugins reports to users. Its message says what went wrong and what to do next.
/// </summary>
public abstract class LuteException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong and what to do next.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    protected LuteException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
