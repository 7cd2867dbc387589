namespace Lute.Dashboard.Live;

/// <summary>
/// Tells waiters that files of one folder whose names start with a prefix changed (inotify through
/// <see cref="FileSystemWatcher"/>): the store and its <c>-wal</c> file, or one run's log. Waiters never poll: each
/// waits for the next change after the one it has seen; changes that come while it works are not lost, they make its
/// next wait return at once.
/// </summary>
internal sealed class FileChanges : IDisposable
{
    private readonly FileSystemWatcher _watcher;
    private readonly Lock _lock = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _version;

    public FileChanges(string folder, string namePrefix)
    {
        _watcher = new FileSystemWatcher(folder, namePrefix + "*")
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName | NotifyFilters.CreationTime,
            IncludeSubdirectories = false,
        };
        _watcher.Changed += (_, _) => Pulse();
        _watcher.Created += (_, _) => Pulse();
        _watcher.Renamed += (_, _) => Pulse();
        _watcher.Deleted += (_, _) => Pulse();
        // An overflow of the kernel's queue loses events, not the fact that something changed.
        _watcher.Error += (_, _) => Pulse();
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>Watches the folder of <paramref name="path"/> for changes of that file (and of files named after it).</summary>
    public static FileChanges Of(string path)
    {
        var full = Path.GetFullPath(path);
        return new FileChanges(Path.GetDirectoryName(full)!, Path.GetFileName(full));
    }

    /// <summary>The number of changes seen so far.</summary>
    public long Version
    {
        get
        {
            lock (_lock)
            {
                return _version;
            }
        }
    }

    /// <summary>Returns when there has been a change after <paramref name="seen"/>; the new <see cref="Version"/>.</summary>
    public async Task<long> WaitAsync(long seen, CancellationToken cancellationToken)
    {
        Task next;
        lock (_lock)
        {
            if (_version != seen)
            {
                return _version;
            }

            next = _next.Task;
        }

        await next.WaitAsync(cancellationToken).ConfigureAwait(false);
        return Version;
    }

    /// <summary>Records a change: what the watcher calls, and what a writer in this process may call.</summary>
    public void Pulse()
    {
        TaskCompletionSource done;
        lock (_lock)
        {
            _version++;
            done = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        done.TrySetResult();
    }

    /// <inheritdoc />
    public void Dispose() => _watcher.Dispose();
}
