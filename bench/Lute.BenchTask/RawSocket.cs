using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Lute.BenchTask;

/// <summary>
/// The floor: the same newline-delimited JSON lines over a plain Unix socket, one write per line as the clients do,
/// read by a reader that only finds line breaks (no parsing, no events, no hooks).
/// </summary>
internal static class RawSocket
{
    private static readonly string Host = Environment.MachineName;

    /// <summary>A line shaped like the C# client's TASK_LOG message: same fields, same stamp.</summary>
    public static byte[] Line(int i) => Encoding.UTF8.GetBytes(string.Create(
        CultureInfo.InvariantCulture,
        $"{{\"v\":1,\"signal\":\"TASK_LOG\",\"host\":\"{Host}\",\"contents\":\"t={Clock.Microseconds()} {i}\"}}\n"));

    public static int Write(string path, int count)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(path));
        for (var i = 0; i < count; i++)
        {
            var line = Line(i);
            var sent = 0;
            while (sent < line.Length)
            {
                sent += socket.Send(line, sent, line.Length - sent, SocketFlags.None);
            }
        }

        socket.Shutdown(SocketShutdown.Send);
        return 0;
    }

    public static async Task<int> ReadAsync(string path, string output)
    {
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        using var connection = await listener.AcceptAsync().ConfigureAwait(false);
        var buffer = new byte[64 * 1024];
        long count = 0;
        long first = 0;
        long last = 0;
        int read;
        while ((read = await connection.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false)) > 0)
        {
            var lines = buffer.AsSpan(0, read).Count((byte)'\n');
            if (lines == 0)
            {
                continue;
            }

            var now = Clock.Microseconds();
            if (count == 0)
            {
                first = now;
            }

            last = now;
            count += lines;
        }

        await File.WriteAllTextAsync(
            output,
            string.Create(CultureInfo.InvariantCulture, $"{{\"count\": {count}, \"first_us\": {first}, \"last_us\": {last}}}\n")).ConfigureAwait(false);
        return 0;
    }
}
