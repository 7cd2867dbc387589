using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lute.Client;
using Lute.Contracts;
using Lute.Host.Configuration;
using Lute.Host.Running;

namespace Lute.Cli.Commands;

/// <summary>
/// <c>lute emit SIGNAL [JSON]</c> sends one message from a shell task; <c>lute emit -</c> sends one per line of
/// standard input (<c>SIGNAL [JSON]</c>), for scripts that send many.
/// </summary>
internal static class EmitCommand
{
    public static Command Create()
    {
        var signal = new Argument<string>("signal") { Description = "TASK_STARTED, TASK_LOG, TASK_RESULT, TASK_DONE, TASK_FAILED, TASK_CANCELLED, TASK_STOPPED, TASK_METADATA or TASK_REQUEST (or the part after TASK_, in any case); '-' reads 'SIGNAL [JSON]' lines from standard input" };
        var contents = new Argument<string?>("contents") { Description = "the contents: JSON if it parses as JSON, else a plain string", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("emit", "Sends a message from a shell task to its runner (through LUTE_ADDRESS and LUTE_TOKEN, or LUTE_SOCKET)") { signal, contents };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            if (!LuteClient.RunnerInEnvironment)
            {
                await Console.Error.WriteLineAsync("lute emit: not running under a Lute runner (neither LUTE_ADDRESS nor LUTE_SOCKET is set); nothing sent").ConfigureAwait(false);
                return 0;
            }

            try
            {
                return await EmitAsync(parsed.GetValue(signal)!, parsed.GetValue(contents), cancellationToken).ConfigureAwait(false);
            }
            catch (LuteClientException e)
            {
                await Console.Error.WriteLineAsync($"lute emit: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Failed;
            }
        });
        return command;
    }

    private static async Task<int> EmitAsync(string name, string? contents, CancellationToken cancellationToken)
    {
        await using var client = await LuteClient.FromEnvironmentAsync(cancellationToken).ConfigureAwait(false);
        if (name == "-")
        {
            string? line;
            var number = 0;
            while ((line = await Console.In.ReadLineAsync(cancellationToken).ConfigureAwait(false)) is not null)
            {
                number++;
                if (line.Length == 0)
                {
                    continue;
                }

                var space = line.IndexOf(' ', StringComparison.Ordinal);
                var lineSignal = space < 0 ? line : line[..space];
                var lineContents = space < 0 ? null : line[(space + 1)..];
                var code = await SendAsync(client, lineSignal, lineContents, $"line {number}: ", cancellationToken).ConfigureAwait(false);
                if (code != 0)
                {
                    return code;
                }
            }

            return 0;
        }

        return await SendAsync(client, name, contents, string.Empty, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> SendAsync(LuteClient client, string signal, string? text, string where, CancellationToken cancellationToken)
    {
        var name = Normalize(signal) ?? throw new InputException(
            $"{where}unknown signal '{signal}'; signals are: {string.Join(", ", TaskSignals.All)}");
        var contents = Parse(text);
        if (name == TaskSignals.Request)
        {
            var answer = await client.RequestAsync(contents, cancellationToken).ConfigureAwait(false);
            await Console.Out.WriteLineAsync(answer?.ToJsonString() ?? "null").ConfigureAwait(false);
            return 0;
        }

        await client.SendAsync(name, contents, cancellationToken).ConfigureAwait(false);
        return 0;
    }

    private static string? Normalize(string signal)
    {
        var upper = signal.ToUpperInvariant();
        var full = upper.StartsWith("TASK_", StringComparison.Ordinal) ? upper : "TASK_" + upper;
        return TaskSignals.All.Contains(full) ? full : null;
    }

    private static JsonNode? Parse(string? text)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }
}
