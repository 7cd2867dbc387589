using System.Buffers;
using System.IO.Pipelines;

namespace Lute.Host.Protocol;

/// <summary>What to do with a line longer than the limit.</summary>
internal enum OversizedLines
{
    /// <summary>Deliver it in pieces of at most the limit (log output: nothing is lost).</summary>
    Split,

    /// <summary>Report it once and skip to the next line break (protocol frames: a partial frame is meaningless).</summary>
    Drop,
}

/// <summary>Reads newline-delimited lines from a stream without copying them, with a bound on a line's length.</summary>
internal static class LineReader
{
    /// <summary>Reads lines until end of stream.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="maxBytes">The longest line.</param>
    /// <param name="policy">What to do with a longer line.</param>
    /// <param name="onLine">Called with each line (without its line break).</param>
    /// <param name="onOversized">Called once for each dropped line, with the bytes seen when it was dropped.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    public static async Task ReadAsync(
        Stream stream,
        int maxBytes,
        OversizedLines policy,
        Func<ReadOnlySequence<byte>, ValueTask> onLine,
        Action<long>? onOversized,
        CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
        var skipping = false;
        long skipped = 0;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (true)
                {
                    var newline = buffer.PositionOf((byte)'\n');
                    if (newline is null)
                    {
                        break;
                    }

                    var line = buffer.Slice(0, newline.Value);
                    if (skipping)
                    {
                        skipping = false;
                        onOversized?.Invoke(skipped + line.Length);
                    }
                    else if (line.Length > maxBytes && policy == OversizedLines.Drop)
                    {
                        onOversized?.Invoke(line.Length);
                    }
                    else
                    {
                        await DeliverAsync(TrimCarriageReturn(line), maxBytes, onLine).ConfigureAwait(false);
                    }

                    buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
                }

                if (buffer.Length > maxBytes)
                {
                    if (policy == OversizedLines.Split)
                    {
                        var piece = buffer.Slice(0, maxBytes);
                        await onLine(piece).ConfigureAwait(false);
                        buffer = buffer.Slice(maxBytes);
                    }
                    else
                    {
                        skipping |= true;
                        skipped += buffer.Length;
                        buffer = buffer.Slice(buffer.End);
                    }
                }

                if (result.IsCompleted)
                {
                    if (skipping)
                    {
                        onOversized?.Invoke(skipped + buffer.Length);
                    }
                    else if (buffer.Length > 0)
                    {
                        await DeliverAsync(buffer, maxBytes, onLine).ConfigureAwait(false);
                    }

                    reader.AdvanceTo(buffer.End);
                    return;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private static async ValueTask DeliverAsync(ReadOnlySequence<byte> line, int maxBytes, Func<ReadOnlySequence<byte>, ValueTask> onLine)
    {
        while (line.Length > maxBytes)
        {
            await onLine(line.Slice(0, maxBytes)).ConfigureAwait(false);
            line = line.Slice(maxBytes);
        }

        await onLine(line).ConfigureAwait(false);
    }

    private static ReadOnlySequence<byte> TrimCarriageReturn(ReadOnlySequence<byte> line)
    {
        if (line.Length > 0)
        {
            var last = line.Slice(line.Length - 1);
            if (last.FirstSpan[0] == (byte)'\r')
            {
                return line.Slice(0, line.Length - 1);
            }
        }

        return line;
    }
}
