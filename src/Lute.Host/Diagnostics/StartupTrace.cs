using System.Diagnostics;
using System.Globalization;

namespace Lute.Host.Diagnostics;

/// <summary>
/// With <c>LUTE_TRACE_TIMING=1</c> in the environment, writes to standard error how long each step of a run took
/// since the process started (milliseconds), to see where a short run's time goes. Costs nothing otherwise.
/// </summary>
public static class StartupTrace
{
    private static readonly bool Enabled = System.Environment.GetEnvironmentVariable("LUTE_TRACE_TIMING") == "1";
    private static readonly DateTime ProcessStart = Enabled ? Process.GetCurrentProcess().StartTime.ToUniversalTime() : default;
    private static double _last;

    /// <summary>Records that a step ended.</summary>
    /// <param name="step">What ended.</param>
    public static void Mark(string step)
    {
        if (!Enabled)
        {
            return;
        }

        var now = (DateTime.UtcNow - ProcessStart).TotalMilliseconds;
        var line = string.Create(CultureInfo.InvariantCulture, $"[timing] {now,7:0.0} ms (+{now - _last,6:0.0}) {step}");
        _last = now;
        Console.Error.WriteLine(line);
    }
}
