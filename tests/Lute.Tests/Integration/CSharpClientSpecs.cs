using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lute.Client;

namespace Lute.Tests.Integration;

/// <summary>The C# client against a stand-in runner on a real Unix socket: requests never wait for ever.</summary>
public sealed class CSharpClientSpecs
{
    [Fact]
    public async Task A_request_left_waiting_and_a_request_after_the_runner_closed_both_fail_at_once()
    {
        var folder = Directory.CreateTempSubdirectory("lute-client-");
        try
        {
            var path = Path.Combine(folder.FullName, "runner.sock");
            using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(1);

            // The stand-in runner answers the first request, reads the second, then closes its sending side without
            // answering it, and goes on reading: the client's sends still succeed, but no reply can come any more.
            var runner = Task.Run(async () =>
            {
                using var connection = await listener.AcceptAsync();
                using var stream = new NetworkStream(connection);
                using var reader = new StreamReader(stream, Encoding.UTF8);
                var requests = new List<JsonElement>();
                while (await reader.ReadLineAsync() is { } line)
                {
                    using var message = JsonDocument.Parse(line);
                    if (message.RootElement.GetProperty("signal").GetString() == "TASK_REQUEST")
                    {
                        requests.Add(message.RootElement.Clone());
                        if (requests.Count == 2)
                        {
                            connection.Shutdown(SocketShutdown.Send);
                        }

                        if (requests.Count == 1)
                        {
                            var reply = $$"""{"v":1,"reply_to":{{requests[0].GetProperty("id").GetInt64()}},"ok":true,"contents":"answered"}""" + "\n";
                            await stream.WriteAsync(Encoding.UTF8.GetBytes(reply));
                        }
                    }
                }

                return requests.Count;
            });

            var client = await LuteClient.ConnectAsync(path);
            var first = await client.RequestAsync(JsonValue.Create("first")).WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Equal("answered", first?.GetValue<string>());

            var waiting = await Assert.ThrowsAsync<LuteClientException>(() => client.RequestAsync(JsonValue.Create("left waiting")).WaitAsync(TimeSpan.FromSeconds(20)));
            Assert.Contains("closed the connection before replying", waiting.Message, StringComparison.Ordinal);

            // The reader has stopped: a new request fails at once instead of waiting for a reply that cannot come.
            var after = await Assert.ThrowsAnyAsync<Exception>(() => client.RequestAsync(JsonValue.Create("after the end")).WaitAsync(TimeSpan.FromSeconds(20)));
            Assert.True(after is LuteClientException, $"the request after the end: {after}");
            Assert.Contains("closed the connection before replying", after.Message, StringComparison.Ordinal);
            await client.DisposeAsync();
            Assert.InRange(await runner.WaitAsync(TimeSpan.FromSeconds(20)), 2, 3);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
