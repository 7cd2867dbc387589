using Lute.Contracts;
using Lute.Host.Configuration;

namespace Lute.Host.Running;

/// <summary>A hook bound to a run: the component, its binding and its context.</summary>
internal sealed class HookInstance(HookBinding binding, object component, HookContext context)
{
    public HookBinding Binding { get; } = binding;

    public string Name => Binding.Use;

    public IHook? Hook { get; } = component as IHook;

    public IRequestHandler? Handler { get; } = component as IRequestHandler;

    public HookContext Context { get; } = context;

    /// <summary>Set when the hook exceeded its time limit: it is not called again in this run.</summary>
    public bool Disabled { get; set; }

    public int Failures { get; set; }
}
