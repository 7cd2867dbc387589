using System.Text;
using System.Text.RegularExpressions;

namespace Lute.Cli.Logs;

/// <summary>
/// Reads a run's log file as it grows: complete lines only (a line the runner is still writing waits for its end), and
/// with <c>--task-only</c> only the task's own lines (a runner line's continuation lines, such as an exception's, go
/// with it).
/// </summary>
internal sealed partial class LogLines(Stream stream, long runId, bool taskOnly)
{
    private readonly Decoder _decoder = new UTF8Encoding(false, false).GetDecoder();
    private readonly StringBuilder _partial = new();
    private readonly byte[] _bytes = new byte[64 * 1024];
    private readonly char[] _chars = new char[64 * 1024 + 4];
    private bool _inRunnerLine;

    /// <summary>True once the runner's last line of the run has been read.</summary>
    public bool Ended { get; private set; }

    /// <summary>The complete lines written since the last call.</summary>
    public async Task<IReadOnlyList<string>> ReadAsync(CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        int read;
        while ((read = await stream.ReadAsync(_bytes, cancellationToken).ConfigureAwait(false)) > 0)
        {
            var count = _decoder.GetChars(_bytes, 0, read, _chars, 0);
            _partial.Append(_chars, 0, count);
            var text = _partial.ToString();
            var end = text.LastIndexOf('\n');
            if (end < 0)
            {
                continue;
            }

            foreach (var line in text[..end].Split('\n'))
            {
                if (Keep(line))
                {
                    lines.Add(line);
                }
            }

            _partial.Clear().Append(text, end + 1, text.Length - end - 1);
        }

        return lines;
    }

    private bool Keep(string line)
    {
        if (Header().Match(line) is { Success: true } header)
        {
            _inRunnerLine = header.Groups["origin"].Value == "[runner]";
            Ended |= _inRunnerLine && line.AsSpan(header.Length).StartsWith(FormattableString.Invariant($" Run {runId} ended "), StringComparison.Ordinal);
        }

        return !taskOnly || !_inRunnerLine;
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} [A-Z]{3} (?<origin>\[[^\]]*\])", RegexOptions.CultureInvariant)]
    private static partial Regex Header();
}
