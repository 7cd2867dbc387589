using Lute.Contracts;

namespace Lute.TestPlugins.BrokenBase;

/// <summary>A base class for hooks, in a separate assembly.</summary>
public abstract class BaseHook : IHook
{
    /// <inheritdoc />
    public ValueTask OnEventAsync(TaskEvent taskEvent, HookContext context, CancellationToken cancellationToken = default) =>
        ValueTask.CompletedTask;
}
