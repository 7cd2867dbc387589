using System.Text.Json;
using Lute.Contracts;

namespace Lute.TestPlugins.Hooks;

/// <summary>
/// Answers every request with {"echo": contents} and adds a summary entry on 'done'. A request whose contents are an
/// object with a <c>delay_ms</c> number is answered that many milliseconds late (for the clients' time limits).
/// </summary>
[LuteComponent("test.answer")]
internal sealed class AnsweringHook : IHook, IRequestHandler
{
    public ValueTask OnEventAsync(TaskEvent taskEvent, HookContext context, CancellationToken cancellationToken = default)
    {
        if (taskEvent is RunEndedEvent)
        {
            context.Control.AddSummary("answered-by", "test.answer");
        }

        return ValueTask.CompletedTask;
    }

    public async ValueTask<TaskReply?> HandleAsync(TaskMessage request, HookContext context, CancellationToken cancellationToken = default)
    {
        if (request.Contents.ValueKind == JsonValueKind.Object
            && request.Contents.TryGetProperty("delay_ms", out var delay)
            && delay.TryGetInt32(out var milliseconds))
        {
            await Task.Delay(milliseconds, cancellationToken).ConfigureAwait(false);
        }

        using var document = JsonDocument.Parse($"{{\"echo\":{request.Contents.GetRawText()}}}");
        return TaskReply.Answer(document.RootElement.Clone());
    }
}
