using Lute.Host.Store;

namespace Lute.Dashboard;

/// <summary>What every part of the dashboard shares: the store it shows, opened once, and the host it runs on.</summary>
internal sealed class DashboardContext(SqliteRunRecorder store, string storePath) : IAsyncDisposable
{
    /// <summary>The store, for reading runs.</summary>
    public IRunRecorder Runs => store;

    /// <summary>The store, for listings and figures.</summary>
    public IRunBrowser Browser => store;

    /// <summary>The store's file.</summary>
    public string StorePath { get; } = storePath;

    /// <summary>This machine's name: the runs recorded with it can be stopped, continued and cancelled from here.</summary>
    public string Host { get; } = Environment.MachineName;

    /// <inheritdoc />
    public ValueTask DisposeAsync() => store.DisposeAsync();
}
