using System.Text;

namespace Lute.Dashboard.Live;

/// <summary>
/// Reads a run's log: its last lines for the page, then the complete lines written after a byte offset for the live
/// stream (a line still being written waits for its end). The runner owns the file; it is opened to read only, shared.
/// </summary>
internal static class LogTail
{
    private const int TailBytes = 256 * 1024;

    /// <summary>The last <paramref name="maxLines"/> complete lines, and the offset just after them.</summary>
    public static (IReadOnlyList<string> Lines, long Offset) Last(string? path, int maxLines)
    {
        if (path is null || !File.Exists(path))
        {
            return ([], 0);
        }

        try
        {
            using var stream = Open(path);
            var start = Math.Max(0, stream.Length - TailBytes);
            stream.Seek(start, SeekOrigin.Begin);
            var (lines, consumed) = Complete(ReadAll(stream));
            // Reading from the middle of the file: the first line may be cut; it goes.
            var kept = start > 0 && lines.Count > 0 ? lines.Skip(1).ToList() : lines;
            return (kept.Skip(Math.Max(0, kept.Count - maxLines)).ToList(), start + consumed);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ([$"(the log cannot be read: {e.Message})"], 0);
        }
    }

    /// <summary>The complete lines after <paramref name="offset"/>, and the offset after them.</summary>
    public static (IReadOnlyList<string> Lines, long Offset) After(string? path, long offset)
    {
        if (path is null || !File.Exists(path))
        {
            return ([], offset);
        }

        try
        {
            using var stream = Open(path);
            if (stream.Length <= offset)
            {
                return ([], Math.Min(offset, stream.Length));
            }

            stream.Seek(offset, SeekOrigin.Begin);
            var (lines, consumed) = Complete(ReadAll(stream));
            return (lines, offset + consumed);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ([], offset);
        }
    }

    private static FileStream Open(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024, FileOptions.SequentialScan);

    private static byte[] ReadAll(FileStream stream)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>The complete lines of <paramref name="bytes"/> and how many bytes they take (up to the last newline).</summary>
    private static (List<string> Lines, long Consumed) Complete(byte[] bytes)
    {
        var end = Array.LastIndexOf(bytes, (byte)'\n');
        if (end < 0)
        {
            return ([], 0);
        }

        var text = new UTF8Encoding(false, false).GetString(bytes, 0, end);
        return ([.. text.Split('\n').Select(line => line.TrimEnd('\r'))], end + 1);
    }
}
