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
                        skipped = 0;
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
                        while (buffer.Length > maxBytes)
                        {
                            var cut = CharacterBoundary(buffer, maxBytes);
                            await onLine(buffer.Slice(0, cut)).ConfigureAwait(false);
                            buffer = buffer.Slice(cut);
                        }
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
                        await DeliverAsync(TrimCarriageReturn(buffer), maxBytes, onLine).ConfigureAwait(false);
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
            var cut = CharacterBoundary(line, maxBytes);
            await onLine(line.Slice(0, cut)).ConfigureAwait(false);
            line = line.Slice(cut);
        }

        await onLine(line).ConfigureAwait(false);
    }

    /// <summary>
    /// Where to cut a piece of at most <paramref name="maxBytes"/>: before a UTF-8 continuation byte is never a
    /// boundary, so back off (at most 3 bytes) to keep characters whole.
    /// </summary>
    private static long CharacterBoundary(ReadOnlySequence<byte> buffer, int maxBytes)
    {
        var cut = (long)maxBytes;
        var reader = new SequenceReader<byte>(buffer.Slice(0, Math.Min(buffer.Length, maxBytes + 1L)));
        reader.Advance(cut);
        for (var back = 0; back < 3 && cut > 1 && reader.TryPeek(out var next) && (next & 0xC0) == 0x80; back++)
        {
            cut--;
            reader.Rewind(1);
        }

        return cut;
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
