using System.IO.Pipelines;
using System.Text;
using System.Threading.Channels;
using Lute.Client;
using Lute.Contracts;

namespace Lute.Tests.Core;

/// <summary>What a fake task does while it "runs": a script over its environment, its output and the signals it gets.</summary>
internal delegate Task<ProcessExit> FakeScript(FakeTask task);

/// <summary>The fake task's side of a <see cref="FakeExecution"/>.</summary>
internal sealed class FakeTask(IReadOnlyDictionary<string, string> environment, PipeWriter output, PipeWriter errors, ChannelReader<TaskSignal> signals)
{
    /// <summary>The environment the runner launched the task with.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; } = environment;

    /// <summary>Writes a line to the task's standard output.</summary>
    public ValueTask<FlushResult> PrintAsync(string line) => output.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"));

    /// <summary>Writes a line to the task's standard error.</summary>
    public ValueTask<FlushResult> ComplainAsync(string line) => errors.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"));

    /// <summary>Connects to the runner through the socket the runner put in the environment, as a real task would.</summary>
    public Task<LuteClient> ConnectAsync() => LuteClient.ConnectAsync(Environment[LuteClient.SocketVariable]);

    /// <summary>Waits for the next signal the runner sends.</summary>
    public ValueTask<TaskSignal> NextSignalAsync() => signals.ReadAsync();

    /// <summary>Waits until the runner sends <paramref name="wanted"/> (signals before it are passed over).</summary>
    public async Task WaitForAsync(TaskSignal wanted)
    {
        while (await signals.ReadAsync().ConfigureAwait(false) != wanted)
        {
        }
    }

    /// <summary>Waits forever (until the runner kills the execution).</summary>
    public Task<ProcessExit> HangAsync() => new TaskCompletionSource<ProcessExit>().Task;
}

/// <summary>
/// An execution with no process behind it: its output is a pipe the script writes, its exit is the script's result,
/// or SIGKILL when the runner sends one. It records every signal and whether it was disposed.
/// </summary>
internal sealed class FakeExecution : IExecution
{
    private const int Killed = 9;
    private readonly Pipe _output = new();
    private readonly Pipe _errors = new();
    private readonly Channel<TaskSignal> _signals = Channel.CreateUnbounded<TaskSignal>();
    private readonly TaskCompletionSource<ProcessExit> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<TaskSignal> _received = [];
    private readonly Dictionary<string, string> _details;
    private readonly bool _holdsOutputOpen;
    private int _outputEnded;

    public FakeExecution(FakeScript script, IReadOnlyDictionary<string, string> environment, IReadOnlyDictionary<string, string> details, bool holdsOutputOpen = false)
    {
        _holdsOutputOpen = holdsOutputOpen;
        _details = new Dictionary<string, string>(details);
        var task = new FakeTask(environment, _output.Writer, _errors.Writer, _signals.Reader);
        _ = RunAsync(script, task);
    }

    /// <summary>Not a real process: an id no process has, so that nothing real is ever signalled.</summary>
    public int ProcessId => int.MaxValue - 7;

    public Stream StandardOutput => _output.Reader.AsStream();

    public Stream StandardError => _errors.Reader.AsStream();

    public IReadOnlyDictionary<string, string> Details => _details;

    /// <summary>The signals the runner sent, in order.</summary>
    public IReadOnlyList<TaskSignal> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>How many times the runner disposed the execution.</summary>
    public int Disposals { get; private set; }

    /// <summary>Sets a detail, as an executor does once it learns something (a job id at the exit, say).</summary>
    public void SetDetail(string key, string value) => _details[key] = value;

    public Task<ProcessExit> WaitForExitAsync(CancellationToken cancellationToken = default) => _exit.Task.WaitAsync(cancellationToken);

    public ValueTask SignalAsync(TaskSignal signal, CancellationToken cancellationToken = default)
    {
        lock (_received)
        {
            _received.Add(signal);
        }

        _signals.Writer.TryWrite(signal);
        if (signal == TaskSignal.Kill && _exit.TrySetResult(new ProcessExit(null, Killed)))
        {
            EndOutput();
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        Disposals++;
        _exit.TrySetResult(new ProcessExit(null, Killed));
        EndOutput();

        return ValueTask.CompletedTask;
    }

    private async Task RunAsync(FakeScript script, FakeTask task)
    {
        await Task.Yield();
        ProcessExit exit;
        try
        {
            exit = await script(task).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            exit = new ProcessExit(1, null, Volatile.Read(ref _outputEnded) == 0 ? null : $"fake task ended by the runner: {e.Message}");
        }

        // Output ends before the exit is seen, as when a process exits and its pipes close (unless a child of the
        // task holds them open).
        if (!_holdsOutputOpen)
        {
            EndOutput();
        }

        _exit.TrySetResult(exit);
    }

    private void EndOutput()
    {
        if (Interlocked.Exchange(ref _outputEnded, 1) == 0)
        {
            _output.Writer.Complete();
            _errors.Writer.Complete();
        }
    }
}
