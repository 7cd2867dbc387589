namespace Lute.Host.Running;

/// <summary>
/// Owns what a run acquires and releases it in the reverse order of acquisition, as a host stops its services: every
/// release is attempted even when an earlier one fails, and the failures are thrown together at the end. A phase that
/// is done with something early releases it through its <see cref="Owned{T}"/>; the scope then skips it.
/// </summary>
internal sealed class RunScope : IAsyncDisposable
{
    private readonly Stack<IReleasable> _owned = new();
    private readonly Lock _gate = new();

    /// <summary>Takes ownership of <paramref name="resource"/>, to be released by <paramref name="release"/>.</summary>
    /// <typeparam name="T">The resource's type.</typeparam>
    /// <param name="resource">What was acquired.</param>
    /// <param name="release">How to release it; called at most once.</param>
    /// <returns>The resource, owned.</returns>
    public Owned<T> Own<T>(T resource, Func<T, ValueTask> release)
    {
        ArgumentNullException.ThrowIfNull(release);
        var owned = new Owned<T>(resource, release);
        lock (_gate)
        {
            _owned.Push(owned);
        }

        return owned;
    }

    /// <summary>Takes ownership of an asynchronously disposable resource.</summary>
    public Owned<T> Own<T>(T resource)
        where T : IAsyncDisposable =>
        Own(resource, r => r.DisposeAsync());

    /// <summary>Releases everything still owned, newest first.</summary>
    /// <exception cref="AggregateException">One or more releases failed (every release was still attempted).</exception>
    public async ValueTask DisposeAsync()
    {
        List<Exception>? failures = null;
        while (Next() is { } next)
        {
            try
            {
                await next.ReleaseAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                (failures ??= []).Add(e);
            }
        }

        if (failures is not null)
        {
            throw new AggregateException("releasing what the run held failed", failures);
        }
    }

    private IReleasable? Next()
    {
        lock (_gate)
        {
            return _owned.TryPop(out var next) ? next : null;
        }
    }

    private interface IReleasable
    {
        ValueTask ReleaseAsync();
    }

    /// <summary>A resource a <see cref="RunScope"/> owns.</summary>
    /// <typeparam name="T">The resource's type.</typeparam>
    internal sealed class Owned<T>(T value, Func<T, ValueTask> release) : IReleasable
    {
        private int _released;

        /// <summary>The resource.</summary>
        public T Value { get; } = value;

        /// <summary>Releases the resource now (once; later calls and the scope's own release do nothing).</summary>
        public ValueTask ReleaseAsync() =>
            Interlocked.Exchange(ref _released, 1) == 0 ? release(Value) : ValueTask.CompletedTask;
    }
}
