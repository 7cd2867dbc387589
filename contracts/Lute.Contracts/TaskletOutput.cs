namespace Lute.Contracts;

/// <summary>What a tasklet produced.</summary>
/// <param name="Succeeded">True when the step succeeded.</param>
/// <param name="Text">Its output; may become the run's result payload or summary.</param>
/// <param name="Error">Why it failed, when it did.</param>
public sealed record TaskletOutput(bool Succeeded, string? Text, string? Error = null);
