using Lute.Contracts;

namespace Lute.TestPlugins.Hooks;

/// <summary>
/// Uses the run's controls on the events its settings name: 'stop_on', 'continue_on', 'cancel_on' (event names) and
/// 'summary_on' (adds "control-saw" = the event's name to the summary).
/// </summary>
[LuteComponent("test.control")]
internal sealed class ControlHook : IHook
{
    public async ValueTask OnEventAsync(TaskEvent taskEvent, HookContext context, CancellationToken cancellationToken = default)
    {
        var settings = context.Settings;
        if (settings.Get("summary_on") == taskEvent.Name)
        {
            context.Control.AddSummary("control-saw", taskEvent.Name);
        }

        if (settings.Get("stop_on") == taskEvent.Name)
        {
            await context.Control.StopAsync("test.control stops", cancellationToken).ConfigureAwait(false);
        }

        if (settings.Get("continue_on") == taskEvent.Name)
        {
            await context.Control.ContinueAsync("test.control continues", cancellationToken).ConfigureAwait(false);
        }

        if (settings.Get("cancel_on") == taskEvent.Name)
        {
            context.Control.Cancel("test.control cancels");
        }
    }
}
