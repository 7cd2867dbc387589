using System.Globalization;
using Lute.BenchTask;

// Usage:
//   Lute.BenchTask flood N               N TASK_LOG messages through Lute.Client, back to back, each stamped "t=US I"
//   Lute.BenchTask paced N MILLISECONDS  the same, one message every MILLISECONDS (latency)
//   Lute.BenchTask raw-write SOCKET N    N lines shaped like the client's, one write each, over a plain Unix socket
//   Lute.BenchTask raw-read SOCKET OUT   listens on SOCKET, counts the lines of one connection, writes OUT (JSON)
// Stamps are CLOCK_REALTIME in microseconds since the Unix epoch (DateTime.UtcNow), as test.count reads them.
switch (args.Length > 0 ? args[0] : string.Empty)
{
    case "flood" when args.Length == 2:
        return await Senders.FloodAsync(Count(args[1]), TimeSpan.Zero);
    case "paced" when args.Length == 3:
        return await Senders.FloodAsync(Count(args[1]), TimeSpan.FromMilliseconds(Count(args[2])));
    case "raw-write" when args.Length == 3:
        return RawSocket.Write(args[1], Count(args[2]));
    case "raw-read" when args.Length == 3:
        return await RawSocket.ReadAsync(args[1], args[2]);
    default:
        await Console.Error.WriteLineAsync("usage: Lute.BenchTask flood N | paced N MS | raw-write SOCKET N | raw-read SOCKET OUT");
        return 64;
}

static int Count(string text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
