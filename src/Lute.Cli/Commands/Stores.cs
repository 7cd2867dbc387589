using Lute.Host.Configuration;
using Lute.Host.Store;

namespace Lute.Cli.Commands;

/// <summary>How the reading commands open the result store: only an existing one; they never create a store or its folders.</summary>
internal static class Stores
{
    /// <summary>The configured store, or null when there is none yet.</summary>
    public static async Task<IRunRecorder?> OpenExistingAsync(HostConfiguration config, CancellationToken cancellationToken) =>
        RunStores.Exists(config)
            ? await RunStores.OpenAsync(config, create: false, cancellationToken).ConfigureAwait(false)
            : null;

    /// <summary>The line that says there is no store, and which configuration named it.</summary>
    public static string Missing(HostConfiguration config) =>
        $"there is no result store at {config.StorePath} yet: nothing has been run with this configuration ({config.SourcePath ?? "the embedded defaults"})";
}
