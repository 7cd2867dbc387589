using System.Globalization;
using System.Text.Json.Nodes;
using Lute.Client;

// Usage: Lute.TestTask messages N | request JSON | result-then-exit CODE | traceparent FILE
await using var lute = await LuteClient.FromEnvironmentAsync();
switch (args[0])
{
    case "messages":
        var count = int.Parse(args[1], CultureInfo.InvariantCulture);
        await lute.StartedAsync();
        for (var i = 0; i < count; i++)
        {
            await lute.LogAsync($"message {i}");
        }

        await lute.ResultAsync(JsonValue.Create(count), new Dictionary<string, string> { ["sent"] = count.ToString(CultureInfo.InvariantCulture) });
        await lute.DoneAsync();
        return 0;
    case "request":
        var answer = await lute.RequestAsync(JsonNode.Parse(args[1]));
        Console.WriteLine(answer?.ToJsonString());
        return 0;
    case "result-then-exit":
        await lute.ResultAsync(JsonValue.Create("partial"));
        return int.Parse(args[1], CultureInfo.InvariantCulture);
    case "traceparent":
        await File.WriteAllTextAsync(args[1], LuteClient.TraceParent ?? "none");
        await lute.DoneAsync();
        return 0;
    default:
        Console.Error.WriteLine($"unknown mode {args[0]}");
        return 64;
}
