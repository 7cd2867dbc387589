using Lute.Contracts;
using Lute.Host.Store;
using Microsoft.Extensions.Logging;

namespace Lute.Host.Running;

/// <summary>
/// Calls hooks in configured order, each isolated: an exception is logged with the hook's name and the run goes on;
/// a hook that exceeds its time limit is abandoned (not awaited), logged, and not called again in this run. A
/// critical hook's failure is reported to the runner, which fails the run. Every failure is also handed to
/// <paramref name="failed"/>, which records it with the run.
/// </summary>
internal sealed partial class HookDispatcher(
    IReadOnlyList<HookInstance> hooks, ILogger logger, Action<string> criticalFailure, Action<HookErrorEntry>? failed = null, IRunObserver? observer = null)
{
    public async ValueTask DispatchAsync(TaskEvent taskEvent, string taskName, CancellationToken cancellationToken)
    {
        foreach (var hook in hooks)
        {
            if (hook.Hook is null || hook.Disabled || !hook.Binding.Receives(taskEvent, taskName))
            {
                continue;
            }

            await InvokeAsync(hook, taskEvent.Name, ct => hook.Hook.OnEventAsync(taskEvent, hook.Context, ct).AsTask(), cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask<TaskReply> AnswerAsync(TaskMessageEvent request, string taskName, CancellationToken cancellationToken)
    {
        string? failure = null;
        foreach (var hook in hooks)
        {
            if (hook.Handler is null || hook.Disabled || !hook.Binding.Receives(request, taskName))
            {
                continue;
            }

            TaskReply? reply = null;
            failure = await InvokeAsync(
                hook,
                HookEvents.Request,
                async ct => reply = await hook.Handler.HandleAsync(request.Message, hook.Context, ct).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
            if (reply is not null)
            {
                return reply;
            }
        }

        return TaskReply.Refuse(failure ?? "no hook answers this request; bind a request handler to the 'request' event in plugins.yaml");
    }

    /// <summary>Calls a hook, isolated; returns why it failed, or null when it did not.</summary>
    private async Task<string?> InvokeAsync(HookInstance hook, string eventName, Func<CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        using var span = RunTraces.StartHook(hook.Name, eventName);
        var started = observer is null ? 0 : System.Diagnostics.Stopwatch.GetTimestamp();
        var failure = await CallAsync(hook, eventName, call, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            RunTraces.Failed(span, failure);
        }

        observer?.HookCalled(hook.Name, eventName, System.Diagnostics.Stopwatch.GetElapsedTime(started), failure is not null);
        return failure;
    }

    private async Task<string?> CallAsync(HookInstance hook, string eventName, Func<CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(hook.Binding.Timeout);
        try
        {
            await call(limit.Token).WaitAsync(limit.Token).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            hook.Disabled = true;
            hook.Failures++;
            LogTimedOut(logger, hook.Name, eventName, hook.Binding.Timeout.TotalSeconds);
            failed?.Invoke(new HookErrorEntry(hook.Name, eventName, DateTimeOffset.UtcNow, $"exceeded its {hook.Binding.Timeout.TotalSeconds:0.###}s limit; not called again in this run"));
            if (hook.Binding.Critical)
            {
                criticalFailure($"critical hook '{hook.Name}' exceeded its {hook.Binding.Timeout.TotalSeconds:0.###}s limit on event '{eventName}'");
            }

            return $"hook '{hook.Name}' exceeded its time limit";
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            hook.Failures++;
            LogFailed(logger, hook.Name, eventName, e.Message);
            LogFailureDetail(logger, e, hook.Name);
            failed?.Invoke(new HookErrorEntry(hook.Name, eventName, DateTimeOffset.UtcNow, e.Message));
            if (hook.Binding.Critical)
            {
                criticalFailure($"critical hook '{hook.Name}' failed on event '{eventName}': {e.Message}");
            }

            return $"hook '{hook.Name}' failed: {e.Message}";
        }
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "Hook {Hook} exceeded its {Seconds}s limit on event {EventName}; it is not called again in this run")]
    private static partial void LogTimedOut(ILogger logger, string hook, string eventName, double seconds);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Hook {Hook} failed on event {EventName}: {Error}; the run goes on")]
    private static partial void LogFailed(ILogger logger, string hook, string eventName, string error);

    [LoggerMessage(EventId = 302, Level = LogLevel.Debug, Message = "Hook {Hook} failure details")]
    private static partial void LogFailureDetail(ILogger logger, Exception exception, string hook);
}
