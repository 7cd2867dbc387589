namespace Lute.Contracts;

/// <summary>The engine could not start a task's process (program missing, engine refused the request).</summary>
public sealed class LaunchException : LuteException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="program">The program that could not be started.</param>
    /// <param name="message">What went wrong and what to do next.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public LaunchException(string program, string message, Exception? innerException = null)
        : base(message, innerException) => Program = program;

    /// <summary>The program that could not be started.</summary>
    public string Program { get; }
}
