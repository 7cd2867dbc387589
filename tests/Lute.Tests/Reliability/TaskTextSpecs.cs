using System.Text.Json;
using System.Text.RegularExpressions;
using Lute.Host.Running;
using Lute.Tests.Support;

namespace Lute.Tests.Reliability;

/// <summary>What a task prints cannot forge a runner line nor rewrite the terminal; its payload keeps its bytes.</summary>
public sealed partial class TaskTextSpecs
{
    [Fact]
    public async Task Newlines_escape_sequences_carriage_returns_and_nul_from_a_task_are_escaped_in_console_and_log()
    {
        using var workspace = Workspace.Create();
        workspace.Write("forge.py", """
            import sys, lute_task
            forged = "\n[runner] Run 99 ended COMPLETED (success) after 0s"
            sys.stdout.write("stdout \x1b[2K\x1b[31mred\x1b[0m \x1b[1A up\rback nul\0here\n")
            sys.stdout.flush()
            with lute_task.connect() as lute:
                lute.log("log line" + forged)
                lute.result(payload={"raw": "\x1b[31mred\x00\r\n"})
            """);
        var (code, process) = await workspace.RunTaskAsync($$"""
            tasks:
              Forge:
                command: [python3, forge.py]
                environment: { prepend: { PYTHONPATH: "{{Repo.PythonClient}}" } }
            """);

        Assert.True(code == ExitCodes.Completed, process.Output);
        var run = await workspace.LatestRunAsync();
        var log = await File.ReadAllTextAsync(run.LogPath!);
        foreach (var (where, text) in new[] { ("log file", log), ("console", string.Join('\n', process.Stderr)) })
        {
            Assert.False(text.Contains('\u001b', StringComparison.Ordinal), $"{where} holds a raw ESC:\n{text}");
            Assert.False(text.Contains('\r', StringComparison.Ordinal), $"{where} holds a raw CR:\n{text}");
            Assert.False(text.Contains('\0', StringComparison.Ordinal), $"{where} holds a NUL:\n{text}");
            Assert.DoesNotMatch(ForgedRunnerLine(), text);
            Assert.Contains("[Forge log] log line\\n[runner] Run 99 ended COMPLETED", text, StringComparison.Ordinal);
            Assert.Contains("[Forge stdout] stdout \\x1B[2K\\x1B[31mred\\x1B[0m \\x1B[1A up\\rback nul\\0here", text, StringComparison.Ordinal);
        }

        // The payload is data, not a line: its bytes are kept.
        Assert.Equal("\u001b[31mred\0\r\n", run.Payload!.Value.GetProperty("raw").GetString());
    }

    // A line whose origin is the runner's and that says run 99 ended: only the task could have written it.
    [GeneratedRegex(@"(^|\n)(\d{4}-\d\d-\d\d )?\d\d:\d\d:\d\d(\.\d{3})? (\w{3} )?\[(runner|lute)\] Run 99")]
    private static partial Regex ForgedRunnerLine();
}
