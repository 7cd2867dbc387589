using System.Net;
using Lute.Contracts;

namespace Lute.Hooks.Support;

/// <summary>A request for <see cref="HttpDelivery"/>: how to build it (once per attempt) and how to record it if it cannot be delivered.</summary>
public sealed record DeliveryRequest
{
    /// <summary>The HTTP method.</summary>
    public HttpMethod Method { get; init; } = HttpMethod.Post;

    /// <summary>Where it goes.</summary>
    public required Uri Url { get; init; }

    /// <summary>The body, or null for none.</summary>
    public HttpContent? Content { get; init; }

    /// <summary>The body as it is recorded when the request cannot be delivered (never a secret).</summary>
    public string RecordedBody { get; init; } = string.Empty;

    /// <summary>The body's media type, as recorded.</summary>
    public string? RecordedContentType { get; init; }

    /// <summary>Headers to add, for example authorization; never recorded.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>The event the hook is handling, for the record.</summary>
    public required string Event { get; init; }
}

/// <summary>The answer to a delivered request.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Body">The response body as text.</param>
/// <param name="Attempts">How many attempts it took.</param>
public sealed record DeliveryResponse(HttpStatusCode Status, string Body, int Attempts);

/// <summary>
/// A request could not be delivered (after its retries), or its answer was refused. The request is already recorded
/// as undelivered with the run; a hook lets this propagate so that the runner logs it (and fails the run when the
/// hook is critical).
/// </summary>
public sealed class DeliveryException : LuteException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was not delivered and why.</param>
    /// <param name="innerException">The cause, if any.</param>
    public DeliveryException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
