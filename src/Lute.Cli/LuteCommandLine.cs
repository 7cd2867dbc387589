using System.CommandLine;
using System.CommandLine.Help;
using Lute.Cli.Commands;
using Lute.Cli.Completion;
using Lute.Contracts;
using Lute.Host.Configuration;
using Lute.Host.Plugins;
using Lute.Host.Running;
using Lute.Host.Store;

namespace Lute.Cli;

/// <summary>The <c>lute</c> command line.</summary>
internal static class LuteCommandLine
{
    public static readonly Option<string?> Config = new("--config", "-c")
    {
        Description = "plugins.yaml to use (default: $LUTE_CONFIG, else ./plugins.yaml, else the embedded defaults)",
        Recursive = true,
    };

    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("lute: runs analysis tasks through executor plugins, calls hooks on their events and records their results.")
        {
            RunCommand.Create(),
            SubmitCommand.Create(),
            StatusCommand.Create(),
            PluginsCommand.Create(),
            ValidateCommand.Create(),
            SchemaCommand.Create(),
            HistoryCommand.Create(),
            HistoryCommand.CreateShow(),
            LogsCommand.Create(),
            EmitCommand.Create(),
            SignalCommand.Create("stop", "Stops a running task until it is continued (SIGSTOP to all its processes, through its runner)"),
            SignalCommand.Create("continue", "Continues a stopped task (SIGCONT, through its runner)"),
            SignalCommand.Create("cancel", "Cancels a run: its runner sends the task's cancel signal, then SIGKILL after the grace period, and records it CANCELLED"),
            DashboardCommand.Create(),
            StoreCommand.Create(),
            CompletionCommand.Create(),
        };
        root.Options.Add(Config);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 && parsed.Action is not System.CommandLine.Help.HelpAction)
        {
            foreach (var error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync($"lute: {error.Message}").ConfigureAwait(false);
            }

            await Console.Error.WriteLineAsync("Try 'lute --help'.").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        if (parsed.Action is HelpAction && parsed.CommandResult.Command == root)
        {
            using var help = new StringWriter();
            var code = await parsed.InvokeAsync(new InvocationConfiguration { Output = help }).ConfigureAwait(false);
            await Console.Out.WriteAsync(MarkOptionalArguments(help.ToString(), root)).ConfigureAwait(false);
            return code;
        }

        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
        }
        catch (LuteException e)
        {
            await Console.Error.WriteLineAsync($"lute: error: {e.Message}").ConfigureAwait(false);
            return e is StoreException ? ExitCodes.Internal : ExitCodes.BadInput;
        }
        catch (ExternalProgramException e)
        {
            await Console.Error.WriteLineAsync($"lute: error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.LaunchFailed;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            await Console.Error.WriteLineAsync($"lute: internal error: {e}").ConfigureAwait(false);
            return ExitCodes.Internal;
        }
    }

    /// <summary>
    /// The top-level help's list of commands, with each argument that may be left out written [name] (the list
    /// writes every argument as &lt;name&gt;; each command's own help already brackets optional ones).
    /// </summary>
    internal static string MarkOptionalArguments(string help, RootCommand root)
    {
        var lines = help.Split('\n');
        foreach (var command in root.Subcommands)
        {
            var prefix = $"  {command.Name} ";
            var index = Array.FindIndex(lines, l => l.StartsWith(prefix, StringComparison.Ordinal));
            if (index < 0)
            {
                continue;
            }

            foreach (var argument in command.Arguments.Where(a => a.Arity.MinimumNumberOfValues == 0))
            {
                // Same width, so the descriptions stay aligned.
                var at = lines[index].IndexOf($" <{argument.Name}>", prefix.Length - 1, StringComparison.Ordinal);
                if (at >= 0)
                {
                    lines[index] = string.Concat(lines[index].AsSpan(0, at), $" [{argument.Name}]", lines[index].AsSpan(at + argument.Name.Length + 3));
                }
            }
        }

        return string.Join('\n', lines);
    }

    public static HostConfiguration LoadConfiguration(ParseResult parsed) => HostConfigurationLoader.Load(parsed.GetValue(Config));
}
