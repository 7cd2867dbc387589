using Lute.Contracts;
using Lute.Hooks.Support;
using Microsoft.Extensions.Logging;

namespace LuteHookPack;

/// <summary>
/// Bound in plugins.yaml as <c>use: lute-component-name.greet</c>: when the run ends it adds its greeting and the
/// run's outcome to the run's summary, and logs every other event it is bound to. Replace the body with what your
/// facility needs (docs/plugin-authoring.md; Lute.Hooks.Support's HttpDelivery posts to a service).
/// </summary>
[LuteComponent("lute-component-name.greet", Description = "adds a greeting to the run's summary")]
internal sealed partial class GreetingHook : IHook
{
    private readonly GreetingOptions _options;
    private readonly ILogger<GreetingHook> _logger;

    /// <summary>Creates the hook for one run; lute passes the binding's settings over the plugin's.</summary>
    public GreetingHook(PluginSettings settings, ILogger<GreetingHook> logger)
    {
        _options = HookSettings.Bind<GreetingOptions>(settings);
        _logger = logger;
    }

    /// <inheritdoc />
    public ValueTask OnEventAsync(TaskEvent taskEvent, HookContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(taskEvent);
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        if (taskEvent is RunEndedEvent ended)
        {
            context.Control.AddSummary(_options.SummaryKey, $"{_options.Greeting} ({ended.Result.Status})");
        }
        else
        {
            LogEvent(_logger, taskEvent.Name, context.Run.TaskName);
        }

        return ValueTask.CompletedTask;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Event {Event} of task {Task}")]
    private static partial void LogEvent(ILogger logger, string @event, string task);
}
