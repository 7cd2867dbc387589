using System.Text;
using Lute.Contracts;

namespace Lute.TestPlugins.Hooks;

/// <summary>Appends one line per event to the file named in its 'path' setting: "event|detail".</summary>
[LuteComponent("test.record", Description = "records events to a file (tests)")]
internal sealed class RecordingHook : IHook
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public async ValueTask OnEventAsync(TaskEvent taskEvent, HookContext context, CancellationToken cancellationToken = default)
    {
        var path = context.Settings.Get("path") ?? throw new InvalidOperationException("test.record needs a 'path' setting");
        var detail = taskEvent switch
        {
            LogLineEvent log => $"{log.Source}:{log.Text}",
            TaskMessageEvent message => $"{message.Message.Signal}:{message.Message.Contents.ValueKind}",
            RunEndedEvent ended => ended.Result.Status.ToString(),
            ProcessExitedEvent exited => $"{exited.Exit.ExitCode}:{exited.Exit.Signal}",
            TaskStatusEvent status => status.Status.ToString(),
            _ => string.Empty,
        };
        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await File.AppendAllTextAsync(path, $"{taskEvent.Name}|{detail}\n", Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Gate.Release();
        }
    }
}
