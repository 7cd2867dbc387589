using Lute.Contracts;
using Lute.Host.Plugins;

namespace Lute.Tests.Core;

/// <summary>The components of an in-process run: a fake executor and hooks given as objects, found by name.</summary>
internal sealed class FakeComponents : IComponentSource
{
    private readonly Dictionary<(ComponentKind, string), object> _components = new();

    public string? DirectoryProblem => null;

    /// <summary>Adds a component under a name.</summary>
    public FakeComponents With(ComponentKind kind, string name, object component)
    {
        _components[(kind, name)] = component;
        return this;
    }

    /// <summary>The settings of the executor's "plugin" (where <c>communicator:</c> is chosen).</summary>
    public PluginSettings ExecutorSettings { get; set; } = PluginSettings.Empty;

    public PluginSettings Settings(ComponentKind kind, string name) => kind == ComponentKind.Executor ? ExecutorSettings : PluginSettings.Empty;

    public (T Component, PluginSettings Settings, ComponentInfo Info) Create<T>(ComponentKind kind, string name, PluginSettings? settings = null)
        where T : class
    {
        if (!_components.TryGetValue((kind, name), out var component))
        {
            throw new PluginException($"no {kind} named '{name}'")
            {
                Available = _components.Keys.Where(k => k.Item1 == kind).Select(k => k.Item2).Order(StringComparer.Ordinal).ToList(),
            };
        }

        return ((T)component, settings ?? Settings(kind, name), new ComponentInfo(name, kind, component.GetType(), null, "in-process"));
    }
}
