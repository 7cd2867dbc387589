using System.Text.Json;
using Lute.Contracts;

namespace Lute.TestPlugins.Hooks;

/// <summary>Answers every request with {"echo": contents} and adds a summary entry on 'done'.</summary>
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

    public ValueTask<TaskReply?> HandleAsync(TaskMessage request, HookContext context, CancellationToken cancellationToken = default)
    {
        using var document = JsonDocument.Parse($"{{\"echo\":{request.Contents.GetRawText()}}}");
        return ValueTask.FromResult<TaskReply?>(TaskReply.Answer(document.RootElement.Clone()));
    }
}
