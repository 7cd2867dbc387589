using System.Diagnostics;
using Lute.Contracts;
using Microsoft.Extensions.Logging;

namespace Lute.Executors;

/// <summary>
/// A task whose top process leads its own session and process group (started through <c>setsid</c>): the task
/// itself, or the launcher (mpirun, srun) that started its ranks. Signals go to every process of the session (its
/// process group, and processes that moved to groups of their own, as mpirun's ranks do); disposing it kills whatever
/// is left. A <see cref="RunnerDeathGuard"/> ends the session should the runner die first.
/// </summary>
internal sealed partial class ProcessGroupExecution(Process process, RunnerDeathGuard? guard, Dictionary<string, string> details, ILogger logger) : IRankLabelledExecution
{
    private const int SignalBase = 128;
    private const int LastSignal = 64;
    private readonly List<string> _removeAtEnd = [];
    private int _disposed;

    // Once no process of the session is found, none can appear again (only members fork into it): later signals
    // and the final kill need no new search through /proc.
    private volatile bool _sessionGone;

    public int ProcessId { get; } = process.Id;

    public Stream StandardOutput => process.StandardOutput.BaseStream;

    public Stream StandardError => process.StandardError.BaseStream;

    public IReadOnlyDictionary<string, string> Details => details;

    /// <summary>The launcher's rank labels in the output (none for a plain task); see <see cref="LabelRanks"/>.</summary>
    public RankLabelFormat RankLabels { get; private set; }

    /// <summary>What ends the session should the runner die; null when it could not start.</summary>
    public RunnerDeathGuard? Guard => guard;

    /// <summary>True once the top process has exited.</summary>
    public bool HasExited => process.HasExited;

    public async Task<ProcessExit> WaitForExitAsync(CancellationToken cancellationToken = default)
    {
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        // .NET reports a process ended by signal N as exit code 128+N, as shells do.
        var code = process.ExitCode;
        return code is > SignalBase and <= SignalBase + LastSignal
            ? new ProcessExit(null, code - SignalBase)
            : new ProcessExit(code, null);
    }

    public ValueTask SignalAsync(TaskSignal signal, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_sessionGone || Native.SignalSession(ProcessId, signal) == 0)
        {
            _sessionGone = true;
            LogGroupGone(logger, ProcessId, signal);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Says that the launcher writes rank labels of this format in front of the output's lines.</summary>
    public void LabelRanks(RankLabelFormat format) => RankLabels = format;

    /// <summary>
    /// A file of the run's (such as a temporary MPI hostfile) removed when the run ends, and by the guard should the
    /// runner die first.
    /// </summary>
    public void RemoveAtEnd(string path)
    {
        lock (_removeAtEnd)
        {
            _removeAtEnd.Add(path);
        }

        guard?.AddCleanup(["rm", "-f", "--", path]);
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            // Whatever the task left behind (children that outlived it) ends with the run.
            if (!_sessionGone && Native.KillSession(ProcessId) > 0)
            {
                LogLeftovers(logger, ProcessId);
            }

            guard?.Dispose();
            process.Dispose();
            lock (_removeAtEnd)
            {
                foreach (var path in _removeAtEnd)
                {
                    try
                    {
                        File.Delete(path);
                        LogRemoved(logger, path);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        LogNotRemoved(logger, path, e.Message);
                    }
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    [LoggerMessage(EventId = 103, Level = LogLevel.Debug, Message = "Removed {Path}")]
    private static partial void LogRemoved(ILogger logger, string path);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "Could not remove {Path}: {Error}")]
    private static partial void LogNotRemoved(ILogger logger, string path, string error);

    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "Process group {ProcessGroup} is gone; {Signal} not delivered")]
    private static partial void LogGroupGone(ILogger logger, int processGroup, TaskSignal signal);

    [LoggerMessage(EventId = 102, Level = LogLevel.Debug, Message = "Killed what was left of process group {ProcessGroup}")]
    private static partial void LogLeftovers(ILogger logger, int processGroup);
}
