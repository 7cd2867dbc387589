using Lute.Contracts;
using Lute.Host.Store;
using Prometheus;

namespace Lute.Dashboard.Metrics;

/// <summary>
/// <c>/metrics</c> of the dashboard, from the store: runs by status (as the store holds them at the scrape) and the
/// durations of finished runs (a histogram per task and outcome; each run counted once, when it is first seen ended).
/// Computed at scrape time, so a dashboard nobody scrapes costs nothing.
/// </summary>
internal sealed class StoreMetrics
{
    private readonly CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();
    private readonly Gauge _runs;
    private readonly Histogram _durations;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<long> _pending = [];
    private long _after;

    public StoreMetrics(IRunBrowser store)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(_registry);
        _runs = factory.CreateGauge("lute_store_runs", "Runs in the result store, by status.", "status");
        _durations = factory.CreateHistogram("lute_store_run_duration_seconds", "How long finished runs took, by task and final status.",
            new HistogramConfiguration
            {
                LabelNames = ["task", "status"],
                Buckets = Histogram.ExponentialBuckets(0.01, 4, 12),
            });
        _registry.AddBeforeCollectCallback(cancellationToken => UpdateAsync(store, cancellationToken));
    }

    public async Task WriteAsync(Stream body, CancellationToken cancellationToken) =>
        await _registry.CollectAndExportAsTextAsync(body, cancellationToken).ConfigureAwait(false);

    private async Task UpdateAsync(IRunBrowser store, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var counts = await store.StatusCountsAsync(cancellationToken).ConfigureAwait(false);
            foreach (var status in Enum.GetValues<RunStatus>())
            {
                _runs.WithLabels(status.ToString().ToUpperInvariant()).Set(counts.GetValueOrDefault(status));
            }

            // Runs newer than the last one seen, and older ones that had not ended then: each counted once, when ended.
            var since = await store.SinceAsync(_after, [.. _pending], cancellationToken).ConfigureAwait(false);
            foreach (var run in since.Ended)
            {
                _pending.Remove(run.Id);
                _durations.WithLabels(run.Task, run.Status.ToString().ToUpperInvariant()).Observe(run.Seconds);
            }

            _pending.UnionWith(since.Unfinished);
            _after = since.Newest;
        }
        finally
        {
            _gate.Release();
        }
    }
}
