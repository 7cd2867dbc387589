namespace Lute.Executors.Local;

/// <summary>The local executor takes no settings of its own; declared so that <c>lute plugins verify</c> says so.</summary>
internal sealed class LocalSettings;
