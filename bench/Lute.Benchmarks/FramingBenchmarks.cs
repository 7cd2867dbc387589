using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Lute.Host.Protocol;

namespace Lute.Benchmarks;

/// <summary>Message framing and parsing: per message, through LineReader (framing) and FrameParser (JSON).</summary>
[MemoryDiagnoser]
public class FramingBenchmarks
{
    private const int Lines = 10_000;
    private byte[] _stream = [];
    private ReadOnlySequence<byte> _frame;

    [GlobalSetup]
    public void Setup()
    {
        _stream = Frames.Lines(Lines);
        _frame = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(Frames.Line(42)));
    }

    /// <summary>FrameParser alone: one frame to a TaskMessage.</summary>
    [Benchmark]
    public bool ParseFrame() => FrameParser.TryParse(_frame, out _, out _);

    /// <summary>LineReader alone: a stream of 10,000 frames split into lines (per line).</summary>
    [Benchmark(OperationsPerInvoke = Lines)]
    public async Task<long> SplitLines()
    {
        long count = 0;
        using var stream = new MemoryStream(_stream, writable: false);
        await LineReader.ReadAsync(stream, 1 << 20, OversizedLines.Drop, _ =>
        {
            count++;
            return ValueTask.CompletedTask;
        }, null, CancellationToken.None).ConfigureAwait(false);
        return count;
    }

    /// <summary>LineReader then FrameParser: what a connection does with each frame before it becomes an event (per line).</summary>
    [Benchmark(OperationsPerInvoke = Lines)]
    public async Task<long> SplitAndParse()
    {
        long count = 0;
        using var stream = new MemoryStream(_stream, writable: false);
        await LineReader.ReadAsync(stream, 1 << 20, OversizedLines.Drop, line =>
        {
            if (FrameParser.TryParse(line, out _, out _))
            {
                count++;
            }

            return ValueTask.CompletedTask;
        }, null, CancellationToken.None).ConfigureAwait(false);
        return count;
    }
}
