using System.Text.Json;

namespace Lute.Contracts;

/// <summary>The reply to a <c>TASK_REQUEST</c>.</summary>
/// <param name="Ok">True when a handler answered.</param>
/// <param name="Contents">The answer, when there is one.</param>
/// <param name="Error">Why there is no answer, when there is none.</param>
public sealed record TaskReply(bool Ok, JsonElement? Contents, string? Error)
{
    /// <summary>A successful reply.</summary>
    /// <param name="contents">The answer.</param>
    public static TaskReply Answer(JsonElement contents) => new(true, contents, null);

    /// <summary>An error reply.</summary>
    /// <param name="error">Why there is no answer.</param>
    public static TaskReply Refuse(string error) => new(false, null, error);
}
