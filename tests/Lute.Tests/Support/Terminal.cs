using System.Diagnostics;
using System.Text;

namespace Lute.Tests.Support;

/// <summary>
/// A command run on a real pseudo-terminal (util-linux <c>script</c>): everything the terminal receives is collected
/// as raw text, and tests wait until it holds what they expect (an event per chunk read, no polling).
/// </summary>
internal sealed class Terminal : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _seen = new();
    private readonly Lock _gate = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource Seen)> _waiters = [];
    private readonly Task _reading;

    private Terminal(Process process)
    {
        _process = process;
        _reading = ReadAsync();
    }

    /// <summary>All the terminal received so far.</summary>
    public string Text
    {
        get
        {
            lock (_gate)
            {
                return _seen.ToString();
            }
        }
    }

    /// <summary>Runs <paramref name="command"/> (a shell command line) on a new pseudo-terminal.</summary>
    public static Terminal Start(string command, string workingDirectory, int columns = 200)
    {
        var start = new ProcessStartInfo("script")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-q", "-f", "-e", "-c", $"stty cols {columns}; {command}", "/dev/null" })
        {
            start.ArgumentList.Add(argument);
        }

        return new Terminal(Process.Start(start) ?? throw new InvalidOperationException("cannot start script (util-linux)"));
    }

    /// <summary>Waits until the terminal's text matches, or fails after <paramref name="timeout"/>.</summary>
    public async Task WaitForAsync(Func<string, bool> match, TimeSpan timeout)
    {
        TaskCompletionSource seen = new(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (match(_seen.ToString()))
            {
                return;
            }

            _waiters.Add((match, seen));
        }

        try
        {
            await seen.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the terminal did not show what was expected within {timeout}; it shows:\n{Text}");
        }
    }

    /// <summary>Waits for the command's end and all its output; its exit code (script -e passes the command's on).</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
            await _reading.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the command did not end within {timeout}; the terminal shows:\n{Text}");
        }

        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private async Task ReadAsync()
    {
        var decoder = Encoding.UTF8.GetDecoder();
        var bytes = new byte[8192];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(bytes.Length)];
        var stream = _process.StandardOutput.BaseStream;
        int read;
        while ((read = await stream.ReadAsync(bytes)) > 0)
        {
            var count = decoder.GetChars(bytes, 0, read, chars, 0);
            lock (_gate)
            {
                _seen.Append(chars, 0, count);
                var text = _seen.ToString();
                foreach (var waiter in _waiters.Where(w => w.Match(text)).ToList())
                {
                    _waiters.Remove(waiter);
                    waiter.Seen.TrySetResult();
                }
            }
        }
    }
}
