using Lute.Host.Running;
using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Lute.Cli.Tracing;

/// <summary>
/// The OpenTelemetry SDK listening to the <c>Lute</c> activity source and exporting over OTLP, configured by the
/// standard variables (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> <c>grpc</c> or
/// <c>http/protobuf</c>, <c>OTEL_EXPORTER_OTLP_HEADERS</c>, <c>OTEL_SERVICE_NAME</c>, ...). Disposing it flushes what
/// is batched, bounded by <see cref="FlushLimit"/>, before <c>lute run</c> exits.
/// </summary>
internal sealed class OtlpTraceExport : IDisposable
{
    private static readonly TimeSpan FlushLimit = TimeSpan.FromSeconds(5);

    private readonly TracerProvider _provider;

    public OtlpTraceExport() =>
        _provider = Sdk.CreateTracerProviderBuilder()
            .ConfigureResource(resource => resource.AddService("lute", serviceVersion: typeof(OtlpTraceExport).Assembly.GetName().Version?.ToString()))
            .AddSource(RunTraces.SourceName)
            .AddOtlpExporter()
            .Build();

    public void Dispose()
    {
        _provider.ForceFlush((int)FlushLimit.TotalMilliseconds);
        _provider.Shutdown((int)FlushLimit.TotalMilliseconds);
        _provider.Dispose();
    }
}
