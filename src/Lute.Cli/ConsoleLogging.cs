using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Extensions.Logging;

namespace Lute.Cli;

/// <summary>The console logger: readable lines on standard error, so standard output stays for results.</summary>
internal sealed class ConsoleLogging : IAsyncDisposable
{
    private readonly Serilog.Core.Logger _logger;

    /// <summary>The form of every console line.</summary>
    public const string OutputTemplate = "{Timestamp:HH:mm:ss} {Origin} {Message:lj}{NewLine}{Exception}";

    /// <summary>Lines to standard error; through <paramref name="console"/> instead when given (the live status line).</summary>
    public ConsoleLogging(bool verbose, ILogEventSink? console = null)
    {
        _logger = new LoggerConfiguration()
            .MinimumLevel.Is(verbose ? LogEventLevel.Debug : LogEventLevel.Information)
            .Enrich.WithProperty("Origin", "[lute]")
            .WriteTo.Async(
                sink =>
                {
                    if (console is null)
                    {
                        sink.Console(outputTemplate: OutputTemplate, standardErrorFromLevel: LogEventLevel.Verbose);
                    }
                    else
                    {
                        sink.Sink(console);
                    }
                },
                bufferSize: 65536,
                blockWhenFull: true)
            .CreateLogger();
        Factory = new SerilogLoggerFactory(_logger);
    }

    public Serilog.ILogger Logger => _logger;

    public Microsoft.Extensions.Logging.ILoggerFactory Factory { get; }

    private int _disposed;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Factory.Dispose();
        await _logger.DisposeAsync().ConfigureAwait(false);
    }
}
