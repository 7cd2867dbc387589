using System.Net;
using Lute.Contracts;
using Prometheus;

namespace Lute.Cli.Monitoring;

/// <summary>
/// A live run's metrics in a registry of its own (no process or runtime metrics), served by prometheus-net's
/// stand-alone <see cref="MetricServer"/> at <c>http://ADDRESS:PORT/metrics</c>.
/// </summary>
internal sealed class PrometheusRunMetrics : ILiveMetrics
{
    private static readonly string[] Statuses = ["PENDING", "RUNNING", "STOPPED", "EXITED"];

    private readonly MetricServer _server;
    private readonly Counter _messages;
    private readonly Counter _lines;
    private readonly Counter _hookCalls;
    private readonly Counter _hookFailures;
    private readonly Histogram _hookDuration;
    private readonly Counter _undelivered;
    private readonly Gauge _status;
    private readonly Lock _statusGate = new();

    public PrometheusRunMetrics(IPEndPoint endpoint)
    {
        var registry = Metrics.NewCustomRegistry();
        var metrics = Metrics.WithCustomRegistry(registry);
        _messages = metrics.CreateCounter("lute_messages_total", "Structured messages the task sent, by signal", "signal");
        _lines = metrics.CreateCounter("lute_lines_total", "Lines relayed from the task (stdout, stderr, task log)", "source");
        _hookCalls = metrics.CreateCounter("lute_hook_calls_total", "Hook calls, by hook and event", "hook", "event");
        _hookFailures = metrics.CreateCounter("lute_hook_failures_total", "Hook calls that threw or ran out of time", "hook", "event");
        _hookDuration = metrics.CreateHistogram("lute_hook_call_duration_seconds", "How long hook calls took", new HistogramConfiguration
        {
            LabelNames = ["hook"],
            Buckets = Histogram.ExponentialBuckets(0.0005, 4, 9),
        });
        _undelivered = metrics.CreateCounter("lute_undelivered_posts_total", "Posts hooks could not deliver (recorded with the run)", "hook");
        _status = metrics.CreateGauge("lute_run_status", "1 for the run's current status", "status");
        SetStatus("PENDING");
        _server = new MetricServer(endpoint.Address.ToString(), endpoint.Port, "metrics/", registry);
        _server.Start();
    }

    public void Observe(TaskEvent taskEvent)
    {
        switch (taskEvent)
        {
            case TaskMessageEvent message:
                _messages.WithLabels(message.Message.Signal).Inc();
                break;
            case LogLineEvent line:
                if (line.Source == LogSource.Message)
                {
                    // A TASK_LOG message reaches the runner's consumer as the log line it becomes.
                    _messages.WithLabels("TASK_LOG").Inc();
                }

                _lines.WithLabels(line.Source switch
                {
                    LogSource.StandardOutput => "stdout",
                    LogSource.StandardError => "stderr",
                    LogSource.Message => "message",
                    _ => "runner",
                }).Inc();
                break;
            case TaskLaunchedEvent:
                SetStatus("RUNNING");
                break;
            case TaskStatusEvent status:
                SetStatus(status.Status == RunStatus.Stopped ? "STOPPED" : "RUNNING");
                break;
            case ProcessExitedEvent:
                SetStatus("EXITED");
                break;
        }
    }

    public void HookCalled(string hook, string eventName, TimeSpan duration, bool failed)
    {
        _hookCalls.WithLabels(hook, eventName).Inc();
        _hookDuration.WithLabels(hook).Observe(duration.TotalSeconds);
        if (failed)
        {
            _hookFailures.WithLabels(hook, eventName).Inc();
        }
    }

    public void Undelivered(string hook) => _undelivered.WithLabels(hook).Inc();

    public void Dispose() => _server.Dispose();

    private void SetStatus(string current)
    {
        lock (_statusGate)
        {
            foreach (var status in Statuses)
            {
                _status.WithLabels(status).Set(status == current ? 1 : 0);
            }
        }
    }
}
