using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.RegularExpressions;

namespace Lute.Executors.Slurm;

/// <summary>
/// Reads srun's standard error on its way to the runner: takes out the line the step's first rank writes when it
/// starts (job id, step id, nodes) and learns from srun's own messages (queued job id, errors, time limit,
/// cancellation). Every other byte passes through unchanged, in order.
/// </summary>
internal sealed partial class SrunOutputWatcher
{
    /// <summary>The start line's marker: an ASCII record separator, which no text line starts with by accident.</summary>
    public const string Marker = "\u001eLUTE-STEP";

    private const int MaxErrors = 20;

    // Generous, so that other ranks' output before the first rank starts never fills it while launch waits.
    private readonly Pipe _pipe = new(new PipeOptions(pauseWriterThreshold: 4 << 20, resumeWriterThreshold: 2 << 20));
    private readonly TaskCompletionSource<StepStart> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _errors = [];
    private readonly Lock _lock = new();
    private bool _cancelSeen;

    private readonly Action<string> _queued;

    /// <summary>Starts reading.</summary>
    /// <param name="source">srun's standard error.</param>
    /// <param name="queued">Told the job id when srun says the job waits for resources.</param>
    public SrunOutputWatcher(Stream source, Action<string> queued)
    {
        _queued = queued;
        Completion = Task.Run(() => PumpAsync(source));
    }

    /// <summary>What the runner reads instead of srun's standard error.</summary>
    public Stream Output => _pipe.Reader.AsStream();

    /// <summary>Completes when the first rank has started; never completes if it does not.</summary>
    public Task<StepStart> Started => _started.Task;

    /// <summary>Completes when srun's standard error has ended.</summary>
    public Task Completion { get; }

    public bool TimeLimitReached { get; private set; }

    /// <summary>SLURM cancelled the step and no task had failed before (a failed task makes srun end the others).</summary>
    public bool CancelledBySlurm => _cancelSeen && FailedTaskExitCode is null;

    /// <summary>The exit code of the first task srun reported as failed, if any.</summary>
    public int? FailedTaskExitCode { get; private set; }

    /// <summary>srun's own error lines (the last few).</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_lock)
            {
                return [.. _errors];
            }
        }
    }

    private async Task PumpAsync(Stream source)
    {
        var reader = PipeReader.Create(source);
        var writer = _pipe.Writer;
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync().ConfigureAwait(false);
                var buffer = read.Buffer;
                while (buffer.PositionOf((byte)'\n') is { } end)
                {
                    var line = buffer.Slice(0, buffer.GetPosition(1, end));
                    if (!Inspect(line))
                    {
                        foreach (var segment in line)
                        {
                            await writer.WriteAsync(segment).ConfigureAwait(false);
                        }
                    }

                    buffer = buffer.Slice(line.End);
                }

                if (read.IsCompleted)
                {
                    foreach (var segment in buffer)
                    {
                        await writer.WriteAsync(segment).ConfigureAwait(false);
                    }

                    reader.AdvanceTo(buffer.End);
                    break;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (IOException)
        {
            // srun's pipe broke: what was read has been passed on.
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
            await writer.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Learns from one line; true when the line is the start line and must not be passed on.</summary>
    private bool Inspect(ReadOnlySequence<byte> line)
    {
        const int LongestInteresting = 1024;
        if (line.Length > LongestInteresting)
        {
            return false;
        }

        var text = Encoding.UTF8.GetString(line).TrimEnd('\r', '\n');
        if (text.Contains(Marker, StringComparison.Ordinal) && StartLine().Match(text) is { Success: true } start)
        {
            _started.TrySetResult(new StepStart(start.Groups["job"].Value, start.Groups["step"].Value, start.Groups["nodes"].Value));
            return true;
        }

        if (Queued().Match(text) is { Success: true } queued)
        {
            _queued(queued.Groups["job"].Value);
        }

        if (text.Contains("DUE TO TIME LIMIT", StringComparison.Ordinal))
        {
            TimeLimitReached = true;
        }
        else if (text.Contains("***", StringComparison.Ordinal) && text.Contains(" CANCELLED AT ", StringComparison.Ordinal))
        {
            _cancelSeen = true;
        }

        if (FailedTaskExitCode is null && TaskExit().Match(text) is { Success: true } failed
            && int.TryParse(failed.Groups["code"].ValueSpan, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code))
        {
            FailedTaskExitCode = code;
        }

        if (text.StartsWith("srun: error:", StringComparison.Ordinal) || text.StartsWith("srun: fatal:", StringComparison.Ordinal))
        {
            lock (_lock)
            {
                if (_errors.Count == MaxErrors)
                {
                    _errors.RemoveAt(0);
                }

                _errors.Add(text);
            }
        }

        return false;
    }

    [GeneratedRegex(@"^ *\d+: \u001eLUTE-STEP (?<job>\d+) (?<step>\d+) (?<nodes>\S*)$", RegexOptions.CultureInvariant)]
    private static partial Regex StartLine();

    [GeneratedRegex(@"^srun: error: \S+: tasks? [0-9,\-]+: Exited with exit code (?<code>\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex TaskExit();

    [GeneratedRegex(@"^srun: job (?<job>\d+) queued and waiting for resources", RegexOptions.CultureInvariant)]
    private static partial Regex Queued();
}

/// <summary>Where the step runs: its job, step id and nodes, as the first rank saw them.</summary>
internal sealed record StepStart(string Job, string Step, string Nodes);
