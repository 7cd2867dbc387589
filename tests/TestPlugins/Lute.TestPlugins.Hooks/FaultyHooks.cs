using Lute.Contracts;

namespace Lute.TestPlugins.Hooks;

/// <summary>Throws on every event.</summary>
[LuteComponent("test.throw")]
internal sealed class ThrowingHook : IHook
{
    public ValueTask OnEventAsync(TaskEvent taskEvent, HookContext context, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException($"test.throw refuses {taskEvent.Name}");
}

/// <summary>Never completes and ignores cancellation, like a hook stuck on a network call without a timeout.</summary>
[LuteComponent("test.hang")]
internal sealed class HangingHook : IHook
{
    private readonly TaskCompletionSource _never = new();

    public ValueTask OnEventAsync(TaskEvent taskEvent, HookContext context, CancellationToken cancellationToken = default) =>
        new(_never.Task);
}

/// <summary>Its constructor throws.</summary>
[LuteComponent("test.throw-ctor")]
internal sealed class ThrowingConstructorHook : IHook
{
    public ThrowingConstructorHook() => throw new InvalidOperationException("test.throw-ctor cannot be built");

    public ValueTask OnEventAsync(TaskEvent taskEvent, HookContext context, CancellationToken cancellationToken = default) =>
        ValueTask.CompletedTask;
}
