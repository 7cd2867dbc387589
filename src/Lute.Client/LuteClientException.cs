namespace Lute.Client;

/// <summary>The client cannot reach the runner, or the runner refused a request.</summary>
public sealed class LuteClientException(string message, Exception? innerException = null) : Exception(message, innerException);
