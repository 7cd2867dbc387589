using Serilog;
using Serilog.Events;
using Serilog.Extensions.Logging;

namespace Lute.Cli;

/// <summary>The console logger: readable lines on standard error, so standard output stays for results.</summary>
internal sealed class ConsoleLogging : IAsyncDisposable
{
    private readonly Serilog.Core.Logger _logger;

    public ConsoleLogging(bool verbose)
    {
        _logger = new LoggerConfiguration()
            .MinimumLevel.Is(verbose ? LogEventLevel.Debug : LogEventLevel.Information)
            .Enrich.WithProperty("Origin", "[lute]")
            .WriteTo.Async(
                sink => sink.Console(
                    outputTemplate: "{Timestamp:HH:mm:ss} {Origin} {Message:lj}{NewLine}{Exception}",
                    standardErrorFromLevel: LogEventLevel.Verbose),
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
