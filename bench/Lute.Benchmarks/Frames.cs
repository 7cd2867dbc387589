using System.Globalization;
using System.Text;

namespace Lute.Benchmarks;

/// <summary>Protocol lines shaped like the clients' TASK_LOG messages.</summary>
internal static class Frames
{
    public static string Line(int i) => string.Create(
        CultureInfo.InvariantCulture,
        $"{{\"v\":1,\"signal\":\"TASK_LOG\",\"host\":\"node12\",\"contents\":\"t={1_764_086_400_000_000L + i} {i}\"}}");

    public static byte[] Lines(int count)
    {
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            text.Append(Line(i)).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
