using System.Runtime.InteropServices;

namespace Lute.Host.Running;

/// <summary>
/// Notices when the task's top process is stopped or continued by a signal lute did not send (the task stopping
/// itself with SIGSTOP, or someone's <c>kill -STOP</c>): the kernel tells the runner with SIGCHLD, and the process's
/// state in /proc says which. No polling: nothing runs between signals.
/// </summary>
internal sealed class TaskStopWatcher : IDisposable
{
    private readonly int _processId;
    private readonly Action<bool> _changed;
    private readonly PosixSignalRegistration _registration;
    private int _stopped;

    /// <param name="processId">The task's top process (a child of this process).</param>
    /// <param name="changed">Called with true when it is seen stopped, false when seen running again.</param>
    public TaskStopWatcher(int processId, Action<bool> changed)
    {
        _processId = processId;
        _changed = changed;
        _registration = PosixSignalRegistration.Create(PosixSignal.SIGCHLD, _ => Check());
        // The task may have stopped before the registration: look once now.
        Check();
    }

    private void Check()
    {
        var stopped = IsStopped(_processId);
        if (stopped is { } now && Interlocked.Exchange(ref _stopped, now ? 1 : 0) != (now ? 1 : 0))
        {
            _changed(now);
        }
    }

    /// <summary>True when stopped, false when running, null when gone.</summary>
    private static bool? IsStopped(int processId)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{processId}/stat");
            var state = stat[stat.LastIndexOf(')') + 2];
            return state is 'Z' or 'X' ? null : state is 'T' or 't';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Dispose() => _registration.Dispose();
}
