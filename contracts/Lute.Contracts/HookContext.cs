namespace Lute.Contracts;

/// <summary>What a hook may know and do.</summary>
/// <param name="Run">The run.</param>
/// <param name="Settings">The hook's settings from plugins.yaml.</param>
/// <param name="Control">Stops, continues or cancels the task and adds to its summary.</param>
public sealed record HookContext(RunInfo Run, PluginSettings Settings, IRunControl Control);
