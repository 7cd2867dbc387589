using Lute.Contracts;

namespace Lute.TestPlugins.Hooks;

/// <summary>A plugin tasklet whose output is its arguments joined by spaces.</summary>
[LuteComponent("test.echo")]
internal sealed class EchoTasklet : ITasklet
{
    public ValueTask<TaskletOutput> RunAsync(TaskletContext context, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(new TaskletOutput(true, string.Join(' ', context.Arguments)));
}
