namespace Lute.Contracts;

/// <summary>What a hook may know and do.</summary>
/// <param name="Run">The run.</param>
/// <param name="Settings">The hook's settings from plugins.yaml.</param>
/// <param name="Control">Stops, continues or cancels the task and adds to its summary.</param>
public sealed record HookContext(RunInfo Run, PluginSettings Settings, IRunControl Control)
{
    /// <summary>
    /// Where the hook records requests it could not deliver; the runner keeps them with the run. Set by the runner
    /// (since contracts 1.1); null only where a hook is called outside a runner, for example in a unit test.
    /// </summary>
    public IUndeliveredLog? Undelivered { get; init; }
}
