using Lute.Executors;
using Microsoft.Extensions.Logging;

namespace Lute.Host.Running;

/// <summary>
/// <c>cpu_affinity: true</c>, the runner's side: from the launch to the end of the run the runner's threads run only
/// on the first CPU of the mask they had (the executor gave the task the others), then get their mask back.
/// </summary>
internal sealed partial class RunnerPin : IDisposable
{
    private readonly IReadOnlyList<int> _before;
    private readonly ILogger _logger;

    private RunnerPin(IReadOnlyList<int> before, ILogger logger)
    {
        _before = before;
        _logger = logger;
    }

    /// <summary>Pins the runner to the first CPU it may use; null when it may use only one (nothing to share out).</summary>
    public static RunnerPin? Pin(ILogger logger)
    {
        var allowed = CpuSet.Allowed();
        if (CpuSet.Split(allowed) is not { } split)
        {
            LogSingleCpu(logger, CpuSet.Format(allowed));
            return null;
        }

        if (!CpuSet.SetForProcess([split.Runner]))
        {
            LogNotPinned(logger, split.Runner);
        }

        LogPinned(logger, split.Runner, CpuSet.Format(split.Task));
        return new RunnerPin(allowed, logger);
    }

    public void Dispose()
    {
        if (!CpuSet.SetForProcess(_before))
        {
            LogNotPinned(_logger, -1);
        }
    }

    [LoggerMessage(EventId = 640, Level = LogLevel.Information, Message = "cpu_affinity: the runner keeps CPU {Runner}, the task runs on CPUs {Task}")]
    private static partial void LogPinned(ILogger logger, int runner, string task);

    [LoggerMessage(EventId = 641, Level = LogLevel.Warning, Message = "cpu_affinity: this process may use only CPU {Cpus}; the task shares it with the runner")]
    private static partial void LogSingleCpu(ILogger logger, string cpus);

    [LoggerMessage(EventId = 642, Level = LogLevel.Warning, Message = "cpu_affinity: not every thread of the runner could be moved (CPU {Cpu}; -1: back to its mask)")]
    private static partial void LogNotPinned(ILogger logger, int cpu);
}
