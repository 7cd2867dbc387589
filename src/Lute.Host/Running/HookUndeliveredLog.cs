using Lute.Contracts;
using Lute.Host.Store;
using Microsoft.Extensions.Logging;

namespace Lute.Host.Running;

/// <summary>One hook's <see cref="IUndeliveredLog"/>: stamps the hook's name, logs one line and keeps the entry with the run.</summary>
internal sealed partial class HookUndeliveredLog(string hook, RunState state, ILogger logger, IRunObserver? observer = null) : IUndeliveredLog
{
    public void Record(UndeliveredPost post)
    {
        if (post is null)
        {
            return;
        }

        state.AddUndelivered(new UndeliveredEntry(
            hook, post.Event, post.Timestamp, post.Method, post.Destination, post.ContentType, post.Body, post.Error, post.Attempts));
        observer?.Undelivered(hook);
        LogUndelivered(logger, hook, post.Method, post.Destination, post.Event, post.Error);
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Information, Message = "Hook {Hook} could not deliver {Method} {Destination} (event {EventName}): {Error}; it is recorded with the run")]
    private static partial void LogUndelivered(ILogger logger, string hook, string method, string destination, string eventName, string error);
}
