using System.Text.Json;

namespace Lute.Contracts;

/// <summary>A structured message a task sent over a communicator (protocol v1, see docs/protocol.md).</summary>
/// <param name="Signal">The signal, for example <c>TASK_RESULT</c>; see <see cref="TaskSignals"/>.</param>
/// <param name="Contents">The message's contents, any JSON value.</param>
/// <param name="Rank">The sender's rank when the task runs as several processes.</param>
/// <param name="Host">The sender's host name, when it said.</param>
/// <param name="RequestId">For <c>TASK_REQUEST</c>, the id the reply must carry.</param>
public sealed record TaskMessage(string Signal, JsonElement Contents, int? Rank, string? Host, long? RequestId);
