namespace Lute.Contracts;

/// <summary>A request to an outside service that could not be delivered, kept with the run so it can be sent again.</summary>
public sealed record UndeliveredPost
{
    /// <summary>When the last attempt failed.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The event the hook was handling, for example <c>done</c>.</summary>
    public required string Event { get; init; }

    /// <summary>The HTTP method, for example <c>POST</c>.</summary>
    public string Method { get; init; } = "POST";

    /// <summary>Where it was going: a URL without credentials.</summary>
    public required string Destination { get; init; }

    /// <summary>The body's media type, for example <c>application/json</c>.</summary>
    public string? ContentType { get; init; }

    /// <summary>The body as text (for a multipart form, a description of its fields and the paths of its files).</summary>
    public required string Body { get; init; }

    /// <summary>Why it was not delivered.</summary>
    public required string Error { get; init; }

    /// <summary>How many attempts were made (0 when none could be made, for example while the service was known to be down).</summary>
    public int Attempts { get; init; }
}
