using System.Text;
using System.Text.Json;

namespace Lute.Tests.Support;

/// <summary>A server-sent events stream of the dashboard, read event by event as a browser's EventSource would.</summary>
internal sealed class LiveStream : IDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;
    private readonly CancellationTokenSource _bound = new();

    private LiveStream(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public static async Task<LiveStream> OpenAsync(DashboardServer server, string path)
    {
        var response = await server.Client.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {response.StatusCode}");
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var stream = new LiveStream(response, new StreamReader(await response.Content.ReadAsStreamAsync(), Encoding.UTF8));
        // Every stream starts with "ready": once it is read, the server watches the store for this stream.
        await stream.NextAsync("ready");
        return stream;
    }

    /// <summary>The data of the next event of type <paramref name="type"/> (others are skipped); fails after 30 s.</summary>
    public async Task<JsonElement> NextAsync(string type)
    {
        _bound.CancelAfter(TimeSpan.FromSeconds(30));
        string? name = null;
        var data = new StringBuilder();
        while (await _reader.ReadLineAsync(_bound.Token) is { } line)
        {
            if (line.Length == 0)
            {
                if (name == type)
                {
                    using var document = JsonDocument.Parse(data.ToString());
                    return document.RootElement.Clone();
                }

                (name, data) = (null, new StringBuilder());
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Append(line[6..]);
            }
        }

        throw new EndOfStreamException($"the stream ended before a '{type}' event");
    }

    public void Dispose()
    {
        _bound.Dispose();
        _reader.Dispose();
        _response.Dispose();
    }
}
