using System.CommandLine;
using System.Reflection;

namespace Lute.Cli.Completion;

/// <summary><c>lute completion bash|zsh</c>: prints the shell's completion script.</summary>
internal static class CompletionCommand
{
    public static Command Create()
    {
        var shell = new Argument<string>("shell") { Description = "bash or zsh" };
        shell.AcceptOnlyFromAmong("bash", "zsh");
        var command = new Command("completion", "Prints the completion script of a shell: source <(lute completion bash), or zsh; verbs, options, run ids and task names complete")
        {
            shell,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using var script = Assembly.GetExecutingAssembly().GetManifestResourceStream($"lute.completion.{parsed.GetValue(shell)}")
                                     ?? throw new InvalidOperationException("the completion scripts are missing from lute's assembly");
            await using var output = Console.OpenStandardOutput();
            await script.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
