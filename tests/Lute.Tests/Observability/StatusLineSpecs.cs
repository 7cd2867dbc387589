using System.Text.RegularExpressions;
using Lute.Host.Running;
using Lute.Tests.Integration;
using Lute.Tests.Support;

namespace Lute.Tests.Observability;

/// <summary>
/// The live status line of <c>lute run</c>: drawn on a real pseudo-terminal (elapsed time, status, the task's last
/// line), absent when the output is piped or with <c>--quiet</c>; the task's lines and the final lines unchanged.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed partial class StatusLineSpecs
{
    private static readonly string LongLine = "long " + new string('x', 300);

    [Fact]
    public async Task On_a_terminal_the_status_line_shows_the_elapsed_time_the_status_and_the_last_line_and_never_cuts_a_line()
    {
        using var workspace = Workspace.Create();
        var gate = workspace.MakeFifo("gate");
        var tasks = TaskFile(workspace, gate);

        using var terminal = Terminal.Start($"'{Repo.Lute}' run --config '{workspace.ConfigPath}' '{tasks}'", workspace.Root);
        await terminal.WaitForAsync(t => Status().IsMatch(t) && t.Contains("RUNNING | long xxx", StringComparison.Ordinal), Workspace.DefaultTimeout);
        await File.WriteAllTextAsync(gate, "go\n");
        Assert.Equal(ExitCodes.Completed, await terminal.WaitForExitAsync(Workspace.DefaultTimeout));

        var text = terminal.Text;
        // Each line reaches the terminal whole, in one piece after the status line was erased, and ends with its own break.
        foreach (var line in new[] { "first", LongLine, "after the gate" })
        {
            Assert.Matches(new Regex($"\u001b\\[2K\\d\\d:\\d\\d:\\d\\d \\[Talk stdout\\] {Regex.Escape(line)}\r?\n"), text);
        }

        // The final lines come after the status line was cleared, and nothing is drawn after them.
        var final = text.IndexOf("Run ", text.LastIndexOf("\u001b[2K", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.True(final > 0, text);
        var tail = text[final..];
        Assert.Matches(@"^Run \d+ \(Talk, local\) COMPLETED in [0-9.]+s, exit code 0\r?\nResult recorded in ", tail);
        Assert.DoesNotMatch(Status(), tail);
        Assert.DoesNotContain('\u001b', tail);
    }

    [Fact]
    public async Task Piped_or_quiet_there_is_no_status_line_and_the_lines_are_the_same()
    {
        using var workspace = Workspace.Create();
        var gate = workspace.MakeFifo("gate");
        var tasks = TaskFile(workspace, gate);

        using var piped = workspace.Start(["run", tasks]);
        await piped.WaitForLineAsync(l => l.EndsWith("[Talk stdout] first", StringComparison.Ordinal), Workspace.DefaultTimeout);
        await File.WriteAllTextAsync(gate, "go\n");
        Assert.Equal(ExitCodes.Completed, await piped.WaitForExitAsync(Workspace.DefaultTimeout));

        using var quiet = Terminal.Start($"'{Repo.Lute}' run --quiet --config '{workspace.ConfigPath}' '{tasks}'", workspace.Root);
        await quiet.WaitForAsync(t => Plain(t).Contains("[Talk stdout] long", StringComparison.Ordinal), Workspace.DefaultTimeout);
        await File.WriteAllTextAsync(gate, "go\n");
        Assert.Equal(ExitCodes.Completed, await quiet.WaitForExitAsync(Workspace.DefaultTimeout));

        var pipedText = string.Join('\n', piped.Stdout.Concat(piped.Stderr));
        Assert.DoesNotMatch(Status(), pipedText);
        Assert.DoesNotContain('\u001b', pipedText);
        Assert.DoesNotMatch(Status(), quiet.Text);
        Assert.DoesNotContain("\u001b[2K", quiet.Text, StringComparison.Ordinal);
        Assert.Equal(TaskLines(piped.Stderr), TaskLines(Plain(quiet.Text).Split('\n')));
        Assert.Matches(@"^Run \d+ \(Talk, local\) COMPLETED in ", piped.Stdout[0]);
    }

    private static string TaskFile(Workspace workspace, string gate) =>
        workspace.Write("tasks.yaml", $$"""
            tasks:
              Talk:
                command: [sh, -c, 'echo first; echo "{{LongLine}}"; read go < "{{gate}}"; echo after the gate']
            """);

    private static string[] TaskLines(IEnumerable<string> lines) =>
        [.. lines.Select(l => l.TrimEnd('\r')).Where(l => l.Contains("[Talk stdout]", StringComparison.Ordinal)).Select(l => l[l.IndexOf('[', StringComparison.Ordinal)..])];

    /// <summary>The text without the colours the console logger uses on a terminal.</summary>
    private static string Plain(string text) => Colour().Replace(text, string.Empty);

    [GeneratedRegex(@"\u001b(\[[0-9;?]*[A-Za-z]|=)")]
    private static partial Regex Colour();

    [GeneratedRegex(@"\d\d:\d\d (PENDING|RUNNING|STOPPED|EXITED)")]
    private static partial Regex Status();
}
