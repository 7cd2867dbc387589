using System.Text.Json;
using Lute.Contracts;

namespace Lute.TestPlugins.Hooks;

/// <summary>
/// A communicator a plugin adds: the task writes structured messages, one JSON object per line
/// (<c>{"signal": "TASK_RESULT", "contents": ...}</c>), to the file named in <c>LUTE_DROP_FILE</c>; once the task has
/// exited the session reads the file and publishes each message. It proves that <c>communicator:</c> names are
/// resolved through the plugins like any other component.
/// </summary>
[LuteComponent("test.drop", Description = "structured messages through a file the task writes (a communicator from a plugin)")]
internal sealed class DropCommunicator : ICommunicator
{
    public ValueTask<ICommunicatorSession> OpenAsync(CommunicatorContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var folder = context.Settings.Get("drop_folder") ?? Path.GetTempPath();
        var path = Path.Combine(folder, $"lute-drop-{context.Run.RunId}-{Guid.NewGuid():N}.jsonl");
        return ValueTask.FromResult<ICommunicatorSession>(new Session(context, path));
    }

    private sealed class Session(CommunicatorContext context, string path) : ICommunicatorSession
    {
        public string Description => $"drop file {path}";

        public IReadOnlyDictionary<string, string> TaskEnvironment { get; } = new Dictionary<string, string> { ["LUTE_DROP_FILE"] = path };

        public ValueTask AttachAsync(IExecution execution, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public async Task DrainAsync(CancellationToken cancellationToken = default)
        {
            if (!File.Exists(path))
            {
                return;
            }

            foreach (var line in await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false))
            {
                if (line.Length == 0)
                {
                    continue;
                }

                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                var contents = root.TryGetProperty("contents", out var value) ? value.Clone() : default;
                var message = new TaskMessage(root.GetProperty("signal").GetString()!, contents, Rank: null, Host: null, RequestId: null);
                await context.Events.PublishAsync(new TaskMessageEvent(DateTimeOffset.UtcNow, message), cancellationToken).ConfigureAwait(false);
            }
        }

        public ValueTask DisposeAsync()
        {
            File.Delete(path);
            return ValueTask.CompletedTask;
        }
    }
}
