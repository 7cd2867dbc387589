namespace Lute.Host.Store;

/// <summary>A request a hook could not deliver, kept with its run.</summary>
/// <param name="Hook">The hook's name.</param>
/// <param name="Event">The event it was delivering.</param>
/// <param name="Timestamp">When it gave up.</param>
/// <param name="Method">The request's method.</param>
/// <param name="Destination">Where it was going.</param>
/// <param name="ContentType">The body's content type.</param>
/// <param name="Body">The body, so that it can be sent again.</param>
/// <param name="Error">The last error.</param>
/// <param name="Attempts">How many times it was tried.</param>
public sealed record UndeliveredEntry(
    string Hook,
    string Event,
    DateTimeOffset Timestamp,
    string Method,
    string Destination,
    string? ContentType,
    string Body,
    string Error,
    int Attempts);

/// <summary>A hook call that threw or exceeded its time limit, kept with its run.</summary>
/// <param name="Hook">The hook's name.</param>
/// <param name="Event">The event.</param>
/// <param name="Timestamp">When.</param>
/// <param name="Error">What went wrong.</param>
public sealed record HookErrorEntry(string Hook, string Event, DateTimeOffset Timestamp, string Error);
