using System.Runtime.CompilerServices;

namespace Lute.Cli.Tracing;

/// <summary>
/// Whether <c>lute run</c> exports its spans: only when the standard variables ask for it (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
/// set, or <c>OTEL_TRACES_EXPORTER=otlp</c>; <c>OTEL_SDK_DISABLED=true</c> or <c>OTEL_TRACES_EXPORTER=none</c> turn it
/// off). This class names no OpenTelemetry type, so a run without tracing never loads those assemblies.
/// </summary>
internal static class TraceExport
{
    /// <summary>The exporter, flushed and shut down when disposed; null when tracing is off.</summary>
    public static IDisposable? StartIfWanted() => Wanted(Environment.GetEnvironmentVariable) ? Start() : null;

    /// <summary>The rule, over a lookup of environment variables.</summary>
    internal static bool Wanted(Func<string, string?> variable)
    {
        if (string.Equals(variable("OTEL_SDK_DISABLED"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var exporter = variable("OTEL_TRACES_EXPORTER");
        if (!string.IsNullOrEmpty(exporter))
        {
            return exporter.Split(',', StringSplitOptions.TrimEntries).Contains("otlp", StringComparer.OrdinalIgnoreCase);
        }

        return !string.IsNullOrEmpty(variable("OTEL_EXPORTER_OTLP_ENDPOINT")) || !string.IsNullOrEmpty(variable("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static IDisposable Start() => new OtlpTraceExport();
}
