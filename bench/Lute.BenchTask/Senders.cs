using System.Globalization;
using Lute.Client;

namespace Lute.BenchTask;

/// <summary>Sends stamped TASK_LOG messages through the C# client.</summary>
internal static class Senders
{
    public static async Task<int> FloodAsync(int count, TimeSpan interval)
    {
        await using var lute = await LuteClient.FromEnvironmentAsync().ConfigureAwait(false);
        if (!lute.IsAttached)
        {
            await Console.Error.WriteLineAsync("not under a Lute runner (LUTE_SOCKET is not set)").ConfigureAwait(false);
            return 2;
        }

        for (var i = 0; i < count; i++)
        {
            await lute.LogAsync(string.Create(CultureInfo.InvariantCulture, $"t={Clock.Microseconds()} {i}")).ConfigureAwait(false);
            if (interval > TimeSpan.Zero)
            {
                Thread.Sleep(interval);
            }
        }

        return 0;
    }
}

/// <summary>CLOCK_REALTIME in microseconds since the Unix epoch.</summary>
internal static class Clock
{
    public static long Microseconds() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;
}
