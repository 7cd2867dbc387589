using System.Runtime.InteropServices;

namespace Lute.Cli.Logs;

/// <summary>
/// Completes when a process that is not a child of this one exits, without polling: a pidfd (Linux 5.3+) becomes
/// readable when its process ends; one thread waits on it with poll(2), beside a pipe that disposing writes to.
/// </summary>
internal sealed partial class ProcessExitWatch : IDisposable
{
    private const long PidfdOpenSyscall = 434;
    private const short PollIn = 0x1;
    private readonly int _pidfd;
    private readonly int _wakeRead;
    private readonly int _wakeWrite;
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;

    private ProcessExitWatch(int pidfd, int wakeRead, int wakeWrite)
    {
        (_pidfd, _wakeRead, _wakeWrite) = (pidfd, wakeRead, wakeWrite);
        var thread = new Thread(Wait) { IsBackground = true, Name = "lute logs: runner exit" };
        thread.Start();
    }

    /// <summary>Completes when the process has exited (at once when it is already gone).</summary>
    public Task Exited => _exited.Task;

    /// <summary>Starts watching <paramref name="processId"/>; null when the system cannot watch it (then only the log tells).</summary>
    public static ProcessExitWatch? Start(int processId)
    {
        var pidfd = (int)PidfdOpen(PidfdOpenSyscall, processId, 0);
        if (pidfd < 0)
        {
            return Marshal.GetLastPInvokeError() == 3 ? Gone() : null; // ESRCH: already gone
        }

        Span<int> pipe = stackalloc int[2];
        if (Pipe(pipe) != 0)
        {
            Close(pidfd);
            return null;
        }

        return new ProcessExitWatch(pidfd, pipe[0], pipe[1]);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && _wakeWrite >= 0)
        {
            // Wakes the waiting thread (the runtime ignores SIGPIPE: a thread that has already ended costs an EPIPE).
            Span<byte> one = [1];
            _ = Write(_wakeWrite, one, 1);
            Close(_wakeWrite);
        }
    }

    private static ProcessExitWatch Gone() => new(-1, -1, -1);

    private void Wait()
    {
        if (_pidfd < 0)
        {
            _exited.TrySetResult();
            return;
        }

        Span<PollFd> fds = [new PollFd { Fd = _pidfd, Events = PollIn }, new PollFd { Fd = _wakeRead, Events = PollIn }];
        int ready;
        do
        {
            ready = Poll(fds, 2, -1);
        }
        while (ready < 0 && Marshal.GetLastPInvokeError() == 4); // EINTR

        if ((fds[0].Revents & PollIn) != 0)
        {
            _exited.TrySetResult();
        }

        // The write end is closed by Dispose alone, so that no number of a closed descriptor is ever written to.
        Close(_pidfd);
        Close(_wakeRead);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long PidfdOpen(long number, int pid, uint flags);

    [LibraryImport("libc", EntryPoint = "pipe", SetLastError = true)]
    private static partial int Pipe(Span<int> fds);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(Span<PollFd> fds, ulong count, int timeout);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint Write(int fd, ReadOnlySpan<byte> buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
