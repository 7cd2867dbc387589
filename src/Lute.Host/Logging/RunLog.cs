using Lute.Contracts;
using Lute.Host.Store;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Extensions.Logging;

namespace Lute.Host.Logging;

/// <summary>
/// The log of one run: every task line and every runner message go to the run's own file; runner messages, and
/// task lines unless turned off, also go to the console logger.
/// </summary>
internal sealed class RunLog : IAsyncDisposable
{
    private const string FileTemplate = "{Timestamp:yyyy-MM-dd HH:mm:ss.fff} {Level:u3} {Origin} {Message:lj}{NewLine}{Exception}";
    private readonly Logger _file;
    private readonly Logger _both;
    private readonly Serilog.ILogger _taskLines;
    private readonly Logger _runner;
    private readonly SerilogLoggerFactory _factory;

    public RunLog(string path, string taskName, Serilog.ILogger console, bool consoleTaskOutput, UnixFileMode mode)
    {
        Path = path;
        var file = new LoggerConfiguration().MinimumLevel.Verbose();
        try
        {
            // Created here with the store's mode (the sink would follow the umask), so that a folder or file that
            // cannot be written is also known before the task starts.
            PrivateFiles.CreateFolder(System.IO.Path.GetDirectoryName(path)!, mode);
            using (PrivateFiles.Open(path, FileMode.Append, mode))
            {
            }

            file = file.WriteTo.File(path, outputTemplate: FileTemplate, buffered: true, flushToDiskInterval: TimeSpan.FromSeconds(1));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            FileProblem = $"cannot write '{path}': {e.Message}";
        }

        _file = file.CreateLogger();
        _both = new LoggerConfiguration()
            .MinimumLevel.Verbose()
            .Enrich.WithProperty("Origin", "[runner]")
            .WriteTo.Logger(_file)
            .WriteTo.Logger(console)
            .CreateLogger();
        _taskLines = consoleTaskOutput || FileProblem is not null ? _both : _file;
        TaskName = taskName;
        // The runner's own lines may quote what a task said (a failure's reason, a hook's error): escaped too.
        _runner = new LoggerConfiguration()
            .MinimumLevel.Verbose()
            .Enrich.With<EscapingEnricher>()
            .WriteTo.Logger(_both)
            .CreateLogger();
        _factory = new SerilogLoggerFactory(_runner);
        Runner = _factory.CreateLogger("Lute.Runner");
    }

    public string Path { get; }

    /// <summary>Why the run has no log file, when it has none (its lines then go to the console only).</summary>
    public string? FileProblem { get; }

    public string TaskName { get; }

    /// <summary>The runner's logger for this run (file and console).</summary>
    public Microsoft.Extensions.Logging.ILogger Runner { get; }

    /// <summary>Writes one line of the task.</summary>
    /// <param name="source">Where it came from.</param>
    /// <param name="rank">Its rank, if known.</param>
    /// <param name="text">The line.</param>
    /// <param name="host">The host of its rank, if known; named when it is not the runner's.</param>
    public void TaskLine(LogSource source, int? rank, string text, string? host = null)
    {
        var stream = source switch
        {
            LogSource.StandardOutput => "stdout",
            LogSource.StandardError => "stderr",
            LogSource.Message => "log",
            _ => "runner",
        };
        // Called for every line a task writes: the origin of lines without a rank is built once per stream.
        var origin = rank is null ? _origins.GetOrAdd(stream, (s, task) => $"[{task} {s}]", TaskName)
            : host is null || host == ThisHost ? $"[{TaskName} {stream} rank {rank}]"
            : $"[{TaskName} {stream} rank {rank} on {host}]";
        _taskLines.Write(
            new LogEvent(DateTimeOffset.Now, LogEventLevel.Information, null, LineTemplate, [new LogEventProperty("Origin", new ScalarValue(origin)), new LogEventProperty("Line", new ScalarValue(ControlCharacters.Escape(text)))]));
    }

    // Environment.MachineName asks the kernel each time.
    private static readonly string ThisHost = System.Environment.MachineName;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _origins = new(StringComparer.Ordinal);

    private static readonly MessageTemplate LineTemplate = new Serilog.Parsing.MessageTemplateParser().Parse("{Line:l}");

    public async ValueTask DisposeAsync()
    {
        _factory.Dispose();
        await _runner.DisposeAsync().ConfigureAwait(false);
        await _both.DisposeAsync().ConfigureAwait(false);
        try
        {
            await _file.DisposeAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The disk filled up or went away: the last buffered lines are lost from the file only; the console
            // had them, and the outcome was already reported.
        }
    }

    /// <summary>Escapes control characters in the text values of a runner line's properties.</summary>
    private sealed class EscapingEnricher : ILogEventEnricher
    {
        public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
        {
            List<LogEventProperty>? changed = null;
            foreach (var (name, value) in logEvent.Properties)
            {
                if (value is ScalarValue { Value: string text } && ControlCharacters.NeedsEscaping(text))
                {
                    (changed ??= []).Add(new LogEventProperty(name, new ScalarValue(ControlCharacters.Escape(text))));
                }
            }

            foreach (var property in changed ?? [])
            {
                logEvent.AddOrUpdateProperty(property);
            }
        }
    }
}
