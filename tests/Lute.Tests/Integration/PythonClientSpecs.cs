using System.Globalization;
using Lute.Contracts;
using Lute.Host.Running;
using Lute.Tests.Support;

namespace Lute.Tests.Integration;

/// <summary>The Python client (src/clients/python/lute_task.py) used from several threads at once.</summary>
[Collection(ProcessCollection.Name)]
public sealed class PythonClientSpecs
{
    private const int Threads = 4;
    private const int Calls = 50;

    // Each question names its thread and call, and test.answer echoes it: a reply handed to the wrong caller fails.
    private static readonly string AskingThreads = $$"""
        import sys, threading, time, lute_task

        THREADS, CALLS = {{Threads}}, {{Calls}}
        problems = []
        answered_at = []


        def ask(lute, thread, meet_halfway=True):
            call = 0
            try:
                for call in range(CALLS):
                    question = {"thread": thread, "call": call}
                    answer = lute.request(question, timeout=20)
                    if answer != {"echo": question}:
                        problems.append(f"thread {thread} call {call} got the reply {answer!r}")
                        return
                    answered_at.append(time.monotonic())
                    if call == 9 and meet_halfway:
                        halfway.wait(timeout=20)
            except Exception as error:
                problems.append(f"thread {thread} call {call}: {type(error).__name__}: {error}")
                halfway.abort()


        def finish(lute):
            for problem in problems:
                print(problem, file=sys.stderr, flush=True)
            if problems:
                sys.exit(1)
            lute.result(payload=len(answered_at), summary={"answered": str(len(answered_at))})
            lute.done()

        """;

    [Theory]
    [InlineData("unix")]
    [InlineData("tcp")]
    public async Task The_python_client_gives_each_of_several_threads_the_reply_to_its_own_request(string transport)
    {
        using var workspace = Workspace.Create("Lute.TestPlugins.Hooks");
        UseTransport(workspace, transport);
        workspace.Write("ask.py", AskingThreads + """
            with lute_task.connect() as lute:
                assert lute.attached
                lute.started()
                halfway = threading.Barrier(THREADS)
                threads = [threading.Thread(target=ask, args=(lute, t)) for t in range(THREADS)]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                finish(lute)
            """);

        var (code, process) = await workspace.RunTaskAsync(PythonTask("Ask"));

        Assert.True(code == ExitCodes.Completed, process.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal((Threads * Calls).ToString(CultureInfo.InvariantCulture), run.SummaryValues()["answered"]);
    }

    [Theory]
    [InlineData("unix")]
    [InlineData("tcp")]
    public async Task A_python_request_that_times_out_leaves_the_other_threads_and_the_connection_working(string transport)
    {
        using var workspace = Workspace.Create("Lute.TestPlugins.Hooks");
        UseTransport(workspace, transport);

        // Thread 0 waits until the others are a fifth of the way through, then asks a question the hook answers 3 s
        // late, giving up after 0.5 s. The runner answers one request at a time, so the others' questions wait behind
        // it and are answered after thread 0 gave up; the late reply, which nobody waits for any more, is ignored.
        // Then thread 0 asks its own questions on the same connection.
        workspace.Write("ask.py", AskingThreads + """
            def ask_slowly(lute):
                try:
                    halfway.wait(timeout=20)
                    asked = time.monotonic()
                    try:
                        lute.request({"thread": 0, "delay_ms": 3000}, timeout=0.5)
                        problems.append("thread 0 got a reply it should have given up on")
                        return
                    except lute_task.LuteError as error:
                        waited = time.monotonic() - asked
                        if str(error) != "no reply from the runner within 0.5 s" or waited > 2.5:
                            problems.append(f"thread 0 gave up after {waited:.1f} s with: {error}")
                            return
                    gave_up.append(time.monotonic())
                except Exception as error:
                    problems.append(f"thread 0: {type(error).__name__}: {error}")
                    halfway.abort()
                    return
                ask(lute, 0, meet_halfway=False)


            gave_up = []
            with lute_task.connect() as lute:
                lute.started()
                halfway = threading.Barrier(THREADS)
                threads = [threading.Thread(target=ask_slowly, args=(lute,))]
                threads += [threading.Thread(target=ask, args=(lute, t)) for t in range(1, THREADS)]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                if not problems and not any(at > gave_up[0] for at in answered_at):
                    problems.append("no request was answered after thread 0 gave up")
                finish(lute)
            """);

        var (code, process) = await workspace.RunTaskAsync(PythonTask("Ask"));

        Assert.True(code == ExitCodes.Completed, process.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal((Threads * Calls).ToString(CultureInfo.InvariantCulture), run.SummaryValues()["answered"]);
    }

    [Fact]
    public async Task The_python_client_matches_replies_by_id_and_wakes_every_waiter_when_the_connection_closes()
    {
        using var workspace = Workspace.Create();

        // A stand-in runner on a Unix socket: it waits for three requests, sends a reply for an id nobody asked, a line
        // that is not JSON, the replies to two of the requests in the opposite order, and then closes the connection.
        var script = workspace.Write("closing.py", """
            import json, os, socket, sys, tempfile, threading, time, lute_task

            path = os.path.join(tempfile.mkdtemp(), "runner.sock")
            listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            listener.bind(path)
            listener.listen(1)


            def runner():
                connection, _ = listener.accept()
                lines = connection.makefile("rb")
                requests = [json.loads(lines.readline()) for _ in range(3)]
                connection.sendall(b'{"v":1,"reply_to":999,"ok":true,"contents":"stray"}\nnot json\n')
                answered = [r for r in requests if r["contents"] != "left waiting"]
                for request in reversed(answered):
                    reply = {"v": 1, "reply_to": request["id"], "ok": True, "contents": request["contents"]}
                    connection.sendall(json.dumps(reply).encode() + b"\n")
                connection.close()


            threading.Thread(target=runner, daemon=True).start()
            outcomes = {}


            def ask(lute, question):
                try:
                    outcomes[question] = lute.request(question, timeout=20)
                except lute_task.LuteError as error:
                    outcomes[question] = f"LuteError: {error}"


            started = time.monotonic()
            with lute_task.connect(path=path) as lute:
                threads = [threading.Thread(target=ask, args=(lute, q)) for q in ("first", "left waiting", "third")]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                try:
                    lute.request("after the end", timeout=20)
                    print("a request after the end got a reply")
                except lute_task.LuteError as error:
                    print(f"after the end: {error}")
            for question in ("first", "left waiting", "third"):
                print(f"{question}: {outcomes[question]}")
            print("quick" if time.monotonic() - started < 10 else "slow")
            """);

        using var python = ChildProcess.Start("python3", [script], workspace.Root, new Dictionary<string, string?>
        {
            ["PYTHONPATH"] = Repo.PythonClient, ["LUTE_SOCKET"] = null, ["LUTE_ADDRESS"] = null,
        });
        var code = await python.WaitForExitAsync(Workspace.DefaultTimeout);

        Assert.True(code == 0, python.Output);
        Assert.Equal(
            [
                "after the end: the Lute runner closed the connection before replying",
                "first: first",
                "left waiting: LuteError: the Lute runner closed the connection before replying",
                "third: third",
                "quick",
            ],
            python.Stdout);
    }

    private static string PythonTask(string name) => $$"""
        tasks:
          {{name}}:
            command: [python3, {{name.ToLowerInvariant()}}.py]
            environment: { prepend: { PYTHONPATH: "{{Repo.PythonClient}}" } }
        """;

    private static void UseTransport(Workspace workspace, string transport) =>
        workspace.WriteConfig(
            (transport == "tcp" ? "plugins:\n  - name: Lute.Executors.Local\n    settings: { communicator: tcp, tcp_address: 127.0.0.1 }\n" : string.Empty)
            + "hooks:\n  - { use: test.answer, on: [request] }");
}
