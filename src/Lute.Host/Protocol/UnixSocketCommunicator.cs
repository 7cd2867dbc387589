using System.Globalization;
using System.Net.Sockets;
using Lute.Contracts;

namespace Lute.Host.Protocol;

/// <summary>
/// Receives the task's structured messages over a Unix domain socket in a private directory (mode 0700; the socket
/// is 0600). The socket's path is handed to the task in <c>LUTE_SOCKET</c>. Malformed, oversized or unknown input
/// is logged and dropped; nothing a task sends can bring the runner down.
/// </summary>
internal sealed class UnixSocketCommunicator(int maxMessageBytes) : ICommunicator
{
    public ValueTask<ICommunicatorSession> OpenAsync(CommunicatorContext context, CancellationToken cancellationToken = default)
    {
        var directory = Directory.CreateTempSubdirectory("lute-");
        File.SetUnixFileMode(directory.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var path = Path.Combine(directory.FullName, "task.sock");
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            listener.Listen(512);
        }
        catch
        {
            listener.Dispose();
            directory.Delete(recursive: true);
            throw;
        }

        var environment = new Dictionary<string, string>
        {
            [ProtocolConstants.SocketVariable] = path,
            [ProtocolConstants.ProtocolVariable] = ProtocolConstants.Version.ToString(CultureInfo.InvariantCulture),
        };
        return ValueTask.FromResult<ICommunicatorSession>(
            new SocketSession(context, listener, $"unix socket {path}", environment, maxMessageBytes, admission: null, () => DeleteDirectory(directory.FullName)));
    }

    private static void DeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Already gone.
        }
    }
}
