namespace Lute.Host.Store;

/// <summary>
/// Opens the run recorder when it is first asked for and keeps it open for whoever asks again (the run, then the
/// repair of abandoned runs), so one command opens its store once. An opening that failed is tried again on the
/// next request. Disposing it closes the recorder.
/// </summary>
/// <param name="open">Opens the recorder.</param>
public sealed class RunRecorderSource(Func<CancellationToken, Task<IRunRecorder>> open) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IRunRecorder? _recorder;

    /// <summary>The recorder, opened on first use.</summary>
    /// <param name="cancellationToken">Cancels the opening.</param>
    /// <exception cref="StoreException">The store cannot be opened.</exception>
    public async Task<IRunRecorder> OpenAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _recorder ??= await open(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The recorder if it was opened, else null (nothing is opened).</summary>
    public IRunRecorder? Opened => Volatile.Read(ref _recorder);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _recorder, null) is { } recorder)
        {
            await recorder.DisposeAsync().ConfigureAwait(false);
        }

        _gate.Dispose();
    }
}
