using System.Globalization;
using System.Text.Json;
using Lute.Contracts;
using Lute.Host.Running;
using Lute.Tests.Support;

namespace Lute.Tests.Integration;

[Collection(ProcessCollection.Name)]
public sealed class OutputAndMessageSpecs
{
    private const int Flood = 100_000;
    private const int Messages = 10_000;

    [Fact]
    public async Task Task_that_floods_stdout_has_every_line_relayed_in_order()
    {
        using var workspace = Workspace.Create();
        workspace.WriteConfig("console_task_output: false");
        var (code, process) = await workspace.RunTaskAsync($"""
            tasks:
              Flood:
                command: [seq, "1", "{Flood}"]
            """);

        Assert.True(code == ExitCodes.Completed, process.Output);
        var run = await workspace.LatestRunAsync();
        var lines = run.TaskLines("[Flood stdout] ");
        Assert.Equal(Flood, lines.Count);
        Assert.Equal(Enumerable.Range(1, Flood).Select(i => i.ToString(CultureInfo.InvariantCulture)), lines);
    }

    [Fact]
    public async Task Ten_thousand_messages_from_the_csharp_client_all_arrive()
    {
        using var workspace = Workspace.Create();
        workspace.WriteConfig("console_task_output: false");
        var (code, process) = await workspace.RunTaskAsync($"""
            tasks:
              CSharp:
                command: ["{Repo.TestTask}", messages, "{Messages}"]
            """);

        await AssertAllMessagesAsync(workspace, code, process, "CSharp");
    }

    [Fact]
    public async Task Ten_thousand_messages_from_the_python_client_all_arrive()
    {
        using var workspace = Workspace.Create();
        workspace.WriteConfig("console_task_output: false");
        workspace.Write("send.py", $$"""
            import lute_task
            with lute_task.connect() as lute:
                assert lute.attached
                lute.started()
                for i in range({{Messages}}):
                    lute.log(f"message {i}")
                lute.result(payload={{Messages}}, summary={"sent": "{{Messages}}"})
                lute.done()
            """);
        var (code, process) = await workspace.RunTaskAsync($$"""
            tasks:
              Python:
                command: [python3, send.py]
                environment: { prepend: { PYTHONPATH: "{{Repo.PythonClient}}" } }
            """);

        await AssertAllMessagesAsync(workspace, code, process, "Python");
    }

    [Fact]
    public async Task Ten_thousand_messages_from_lute_emit_all_arrive()
    {
        using var workspace = Workspace.Create();
        workspace.WriteConfig("console_task_output: false");
        workspace.Write("send.sh", $$$"""
            set -e
            lute emit started
            i=0
            while [ $i -lt {{{Messages}}} ]; do echo "TASK_LOG message $i"; i=$((i+1)); done | lute emit -
            lute emit TASK_RESULT '{"payload": {{{Messages}}}, "summary": {"sent": "{{{Messages}}}"}}'
            lute emit done
            """);
        var (code, process) = await workspace.RunTaskAsync($$"""
            tasks:
              Shell:
                command: [sh, send.sh]
                environment: { prepend: { PATH: "{{Repo.LuteDirectory}}" } }
            """);

        await AssertAllMessagesAsync(workspace, code, process, "Shell");
    }

    [Fact]
    public async Task Garbage_and_oversized_messages_are_logged_and_dropped_and_the_run_goes_on()
    {
        using var workspace = Workspace.Create();
        workspace.WriteConfig("max_message_bytes: 4096");
        workspace.Write("hostile.py", """
            import os, socket
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(os.environ["LUTE_SOCKET"])
            frames = [
                b"this is not json",
                b"\xff\xfe\xfd invalid utf-8",
                b"[1, 2, 3]",
                b'{"signal": 42}',
                b'{"v": 99, "signal": "TASK_LOG", "contents": "future"}',
                b'{"signal": "TASK_REQUEST", "contents": {}}',
                b"[" * 1000 + b"]" * 1000,
                b'{"signal": "TASK_LOG", "contents": "' + b"x" * 100000 + b'"}',
                b'{"signal": "TASK_LOG", "contents": "still here"}',
                b'{"signal": "TASK_RESULT", "contents": {"payload": "survived"}}',
            ]
            for frame in frames:
                s.sendall(frame + b"\n")
            s.sendall(b'{"signal": "TASK_LOG", "contents": "truncated at the end')
            s.close()
            # Many connections opened and dropped without a word.
            for _ in range(200):
                c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                c.connect(os.environ["LUTE_SOCKET"])
                c.close()
            """);
        var (code, process) = await workspace.RunTaskAsync("""
            tasks:
              Hostile:
                command: [python3, hostile.py]
            """);

        Assert.True(code == ExitCodes.Completed, process.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Equal("\"survived\"", run.Payload?.GetRawText());
        var log = File.ReadAllLines(run.LogPath!);
        Assert.Contains(log, l => l.EndsWith("[Hostile log] still here", StringComparison.Ordinal));
        Assert.Equal(9, log.Count(l => l.Contains("Dropped a", StringComparison.Ordinal)));
        Assert.Contains(log, l => l.Contains("larger than the 4096-byte limit", StringComparison.Ordinal));
        Assert.Contains(log, l => l.Contains("protocol version 99 is not supported", StringComparison.Ordinal));
        Assert.Contains(log, l => l.Contains("TASK_REQUEST needs an \"id\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Parameters_and_messages_with_awkward_characters_are_recorded_intact()
    {
        const string awkward = "it's \"quoted\";;; a\nnew line, Grüße, 東京, \u0000 nul";
        using var workspace = Workspace.Create();
        workspace.Write("send.py", """
            import os, lute_task
            text = os.environ["AWKWARD"].replace("<NUL>", "\0")
            with lute_task.connect() as lute:
                lute.log(text)
                lute.result(payload={"text": text}, summary={"text": text})
            """);
        var yamlText = "it's \\\"quoted\\\";;; a\\nnew line, Grüße, 東京, \\0 nul";
        var (code, process) = await workspace.RunTaskAsync($$"""
            tasks:
              Awkward:
                command: [python3, send.py]
                parameters: { text: "{{yamlText}}" }
                environment:
                  set: { AWKWARD: "it's \"quoted\";;; a\nnew line, Grüße, 東京, <NUL> nul" }
                  prepend: { PYTHONPATH: "{{Repo.PythonClient}}" }
            """);

        Assert.True(code == ExitCodes.Completed, process.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Equal(awkward, run.Parameters["text"]);
        Assert.Equal(awkward, run.SummaryValues()["text"]);
        Assert.Equal(awkward, run.Payload!.Value.GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_request_is_answered_by_a_hook_on_the_same_connection()
    {
        using var workspace = Workspace.Create("Lute.TestPlugins.Hooks");
        workspace.WriteConfig("hooks:\n  - { use: test.answer, on: [request, done] }");
        var (code, process) = await workspace.RunTaskAsync($$"""
            tasks:
              Ask:
                command: ["{{Repo.TestTask}}", request, '{"question": "run?"}']
            """);

        Assert.True(code == ExitCodes.Completed, process.Output);
        Assert.Contains(process.Stderr, l => l.EndsWith("[Ask stdout] {\"echo\":{\"question\":\"run?\"}}", StringComparison.Ordinal));
        var run = await workspace.LatestRunAsync();
        Assert.Equal("test.answer", run.SummaryValues()["answered-by"]);
    }

    [Fact]
    public async Task A_request_that_no_hook_answers_gets_an_error_reply_instead_of_hanging()
    {
        using var workspace = Workspace.Create();
        var (code, process) = await workspace.RunTaskAsync($$"""
            tasks:
              Ask:
                command: ["{{Repo.TestTask}}", request, '{"question": "anyone?"}']
            """);

        Assert.True(code == ExitCodes.Failed, process.Output);
        Assert.Contains(process.Stderr, l => l.Contains("no hook answers this request", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Task_that_says_nothing_and_exits_0_is_completed()
    {
        using var workspace = Workspace.Create();
        var (code, process) = await workspace.RunTaskAsync("""
            tasks:
              Quiet:
                command: ["true"]
            """);

        Assert.True(code == ExitCodes.Completed, process.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Null(run.Payload);
    }

    private static async Task AssertAllMessagesAsync(Workspace workspace, int code, ChildProcess process, string task) =>
        (await workspace.LatestRunAsync()).AssertAllMessages(code, process, task, Messages);
}
