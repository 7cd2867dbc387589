using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Lute.Contracts;
using Lute.Host.Running;
using Lute.Tests.Support;

namespace Lute.Tests.Integration;

[Collection(ProcessCollection.Name)]
public sealed partial class TcpCommunicatorSpecs
{
    private const int Messages = 2_000;
    private const string WrongToken = "f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0";

    [Fact]
    public async Task The_csharp_client_sends_messages_results_and_requests_over_tcp()
    {
        using var workspace = Workspace.Create("Lute.TestPlugins.Hooks");
        UseTcp(workspace, hooks: "hooks:\n  - { use: test.answer, on: [request] }");

        var (code, process) = await workspace.RunTaskAsync($"""
            tasks:
              CSharp:
                command: ["{Repo.TestTask}", messages, "{Messages}"]
            """);
        var messagesRun = await workspace.LatestRunAsync();
        var (askCode, ask) = await workspace.RunTaskAsync($$"""
            tasks:
              Ask:
                command: ["{{Repo.TestTask}}", request, '{"question": "tcp?"}']
            """);

        messagesRun.AssertAllMessages(code, process, "CSharp", Messages);
        AssertRecordedAsTcp(messagesRun);
        Assert.True(askCode == ExitCodes.Completed, ask.Output);
        Assert.Contains((await workspace.LatestRunAsync()).TaskLines("[Ask stdout] "), l => l == "{\"echo\":{\"question\":\"tcp?\"}}");
    }

    [Fact]
    public async Task The_python_client_sends_messages_results_and_requests_over_tcp()
    {
        using var workspace = Workspace.Create("Lute.TestPlugins.Hooks");
        UseTcp(workspace, hooks: "hooks:\n  - { use: test.answer, on: [request] }");
        workspace.Write("send.py", $$"""
            import json, lute_task
            with lute_task.connect() as lute:
                assert lute.attached
                lute.started()
                for i in range({{Messages}}):
                    lute.log(f"message {i}")
                answer = lute.request({"question": "python?"})
                lute.result(payload={{Messages}}, summary={"sent": "{{Messages}}", "answer": json.dumps(answer)})
                lute.done()
            """);

        var (code, process) = await workspace.RunTaskAsync($$"""
            tasks:
              Python:
                command: [python3, send.py]
                environment: { prepend: { PYTHONPATH: "{{Repo.PythonClient}}" } }
            """);

        var run = await workspace.LatestRunAsync();
        run.AssertAllMessages(code, process, "Python", Messages);
        AssertRecordedAsTcp(run);
        using var answer = JsonDocument.Parse(run.SummaryValues()["answer"]);
        Assert.Equal("python?", answer.RootElement.GetProperty("echo").GetProperty("question").GetString());
    }

    [Fact]
    public async Task Lute_emit_sends_messages_results_and_requests_over_tcp()
    {
        using var workspace = Workspace.Create("Lute.TestPlugins.Hooks");
        UseTcp(workspace, hooks: "hooks:\n  - { use: test.answer, on: [request] }");
        workspace.Write("send.sh", $$$"""
            set -e
            lute emit started
            i=0
            while [ $i -lt {{{Messages}}} ]; do echo "TASK_LOG message $i"; i=$((i+1)); done | lute emit -
            answer=$(lute emit request '{"question": "shell?"}')
            lute emit TASK_RESULT "{\"payload\": {{{Messages}}}, \"summary\": {\"sent\": \"{{{Messages}}}\", \"answer\": $answer}}"
            lute emit done
            """);

        var (code, process) = await workspace.RunTaskAsync($$"""
            tasks:
              Shell:
                command: [sh, send.sh]
                environment: { prepend: { PATH: "{{Repo.LuteDirectory}}" } }
            """);

        var run = await workspace.LatestRunAsync();
        run.AssertAllMessages(code, process, "Shell", Messages);
        AssertRecordedAsTcp(run);
        using var answer = JsonDocument.Parse(run.SummaryValues()["answer"]);
        Assert.Equal("shell?", answer.RootElement.GetProperty("echo").GetProperty("question").GetString());
    }

    [Fact]
    public async Task Connections_without_the_right_token_are_refused_and_logged_and_the_run_goes_on()
    {
        using var workspace = Workspace.Create();
        UseTcp(workspace, settings: "tcp_handshake_timeout: 500ms");
        workspace.Write("hostile.py", $$$"""
            import os, socket, lute_task
            host, port = os.environ["LUTE_ADDRESS"].rsplit(":", 1)
            with open("token.txt", "w") as f:
                f.write(os.environ["LUTE_TOKEN"])

            def closed_by_runner(first):
                s = socket.create_connection((host, int(port)))
                if first is not None:
                    s.sendall(first)
                try:
                    closed = s.recv(1) == b""  # waits until the runner closes the connection
                except ConnectionResetError:
                    closed = True
                s.close()
                return closed

            sneaky = b'{"v": 1, "signal": "TASK_RESULT", "contents": {"payload": "sneaky"}}\n'
            results = [
                closed_by_runner(sneaky),
                closed_by_runner(b'{"v": 1, "token": "{{{WrongToken}}}"}\n' + sneaky),
                closed_by_runner(b"GET / HTTP/1.0\r\n\r\n"),
                closed_by_runner(None),
            ]
            socket.create_connection((host, int(port))).close()
            with lute_task.connect() as lute:
                lute.log("closed by the runner: " + " ".join(str(r) for r in results))
                lute.result(payload="survived")
            """);

        var (code, process) = await workspace.RunTaskAsync($$"""
            tasks:
              Hostile:
                command: [python3, hostile.py]
                environment: { prepend: { PYTHONPATH: "{{Repo.PythonClient}}" } }
            """);

        Assert.True(code == ExitCodes.Completed, process.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Equal("\"survived\"", run.Payload?.GetRawText());
        var log = File.ReadAllText(run.LogPath!);
        var lines = log.Split('\n');
        Assert.Contains(lines, l => l.EndsWith("[Hostile log] closed by the runner: True True True True", StringComparison.Ordinal));
        var refusals = lines.Select(l => RefusalLine().Match(l)).Where(m => m.Success).Select(m => m.Groups["reason"].Value).ToList();
        Assert.Equal(5, refusals.Count);
        Assert.Contains("its first line has no \"token\" string (a TCP connection must begin with the handshake)", refusals);
        Assert.Contains("its handshake presents a wrong token", refusals);
        Assert.Contains("its first line is not a handshake (not valid JSON)", refusals);
        Assert.Contains("no handshake within 0.5s", refusals);
        Assert.Contains("it closed the connection without sending the handshake", refusals);
        Assert.DoesNotContain("sneaky", log, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongToken, log, StringComparison.Ordinal);

        var token = File.ReadAllText(workspace.PathOf("token.txt"));
        Assert.Matches("^[0-9a-f]{64}$", token);
        var (showCode, show) = await workspace.LuteAsync("show", run.Id.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(0, showCode);
        Assert.Contains(show.Stdout, l => l.Trim() == "\"LUTE_TOKEN\": \"***\",");
        Assert.DoesNotContain(token, log, StringComparison.Ordinal);
        Assert.DoesNotContain(token, show.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(token, process.Output, StringComparison.Ordinal);
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(workspace.StorePath)!))
        {
            Assert.DoesNotContain(token, Encoding.ASCII.GetString(File.ReadAllBytes(file)), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_runner_started_from_a_task_gives_its_own_task_only_its_own_transport()
    {
        using var workspace = Workspace.Create();
        workspace.Write("send.py", """
            import os, lute_task
            with lute_task.connect() as lute:
                lute.result(payload=sorted(k for k in ("LUTE_SOCKET", "LUTE_ADDRESS", "LUTE_TOKEN") if k in os.environ))
            """);
        var path = workspace.Write("tasks.yaml", $$"""
            tasks:
              Nested:
                command: [python3, send.py]
                environment: { prepend: { PYTHONPATH: "{{Repo.PythonClient}}" } }
            """);
        var outerTcp = new Dictionary<string, string?> { ["LUTE_ADDRESS"] = "127.0.0.1:9", ["LUTE_TOKEN"] = WrongToken, ["LUTE_SOCKET"] = null };
        var outerUnix = new Dictionary<string, string?> { ["LUTE_SOCKET"] = workspace.PathOf("outer.sock"), ["LUTE_ADDRESS"] = null, ["LUTE_TOKEN"] = null };

        using var unix = workspace.Start(["run", path], outerTcp);
        var unixCode = await unix.WaitForExitAsync(Workspace.DefaultTimeout);
        var unixRun = await workspace.LatestRunAsync();
        UseTcp(workspace);
        using var tcp = workspace.Start(["run", path], outerUnix);
        var tcpCode = await tcp.WaitForExitAsync(Workspace.DefaultTimeout);
        var tcpRun = await workspace.LatestRunAsync();

        Assert.True(unixCode == ExitCodes.Completed, unix.Output);
        Assert.Equal("[\"LUTE_SOCKET\"]", Compact(unixRun.Payload!.Value));
        var unixChanges = unixRun.Environment;
        Assert.Null(unixChanges["LUTE_ADDRESS"]);
        Assert.Null(unixChanges["LUTE_TOKEN"]);
        Assert.True(tcpCode == ExitCodes.Completed, tcp.Output);
        Assert.Equal("[\"LUTE_ADDRESS\",\"LUTE_TOKEN\"]", Compact(tcpRun.Payload!.Value));
        Assert.Null(tcpRun.Environment["LUTE_SOCKET"]);
    }

    [Fact]
    public async Task Every_client_fails_fast_naming_an_address_where_no_runner_listens()
    {
        using var workspace = Workspace.Create();
        using var closed = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        closed.Bind(new IPEndPoint(IPAddress.Loopback, 0)); // bound, never listening: connections are refused
        var address = $"127.0.0.1:{((IPEndPoint)closed.LocalEndPoint!).Port}";
        var script = workspace.Write("send.py", "import lute_task\nwith lute_task.connect() as lute:\n    lute.result(payload=1)\n");
        var environment = new Dictionary<string, string?>
        {
            ["LUTE_ADDRESS"] = address, ["LUTE_TOKEN"] = WrongToken, ["LUTE_SOCKET"] = workspace.PathOf("ignored.sock"), ["PYTHONPATH"] = Repo.PythonClient,
        };

        using var python = ChildProcess.Start("python3", [script], workspace.Root, environment);
        var pythonCode = await python.WaitForExitAsync(Workspace.DefaultTimeout);
        using var csharp = ChildProcess.Start(Repo.TestTask, ["messages", "1"], workspace.Root, environment);
        var csharpCode = await csharp.WaitForExitAsync(Workspace.DefaultTimeout);
        using var emit = ChildProcess.Start(Repo.Lute, ["emit", "result", "1"], workspace.Root, environment);
        var emitCode = await emit.WaitForExitAsync(Workspace.DefaultTimeout);
        using var tokenless = ChildProcess.Start(Repo.Lute, ["emit", "result", "1"], workspace.Root, new Dictionary<string, string?>(environment) { ["LUTE_TOKEN"] = null });
        var tokenlessCode = await tokenless.WaitForExitAsync(Workspace.DefaultTimeout);

        var expected = $"cannot reach the Lute runner at LUTE_ADDRESS={address}: ";
        Assert.NotEqual(0, pythonCode);
        Assert.Contains(python.Stderr, l => l.Contains(expected, StringComparison.Ordinal) && l.EndsWith("Connection refused", StringComparison.Ordinal));
        Assert.NotEqual(0, csharpCode);
        Assert.Contains(csharp.Stderr, l => l.Contains(expected + "Connection refused", StringComparison.Ordinal));
        Assert.Equal(ExitCodes.Failed, emitCode);
        Assert.Equal([$"lute emit: {expected}Connection refused"], emit.Stderr);
        Assert.Equal(ExitCodes.Failed, tokenlessCode);
        Assert.Equal(["lute emit: LUTE_ADDRESS is set but LUTE_TOKEN is not: the runner refuses connections without its token"], tokenless.Stderr);
    }

    [Theory]
    [InlineData("communicator: carrier-pigeon", "setting 'communicator' must be unix or tcp, not 'carrier-pigeon'")]
    [InlineData("communicator: tcp, tcp_ports: 70000", "setting 'tcp_ports' must be a port (1-65535), a range such as 40000-40100, or 0 for any free port, not '70000'")]
    [InlineData("communicator: tcp, tcp_address: 'not an address'", "setting 'tcp_address' must be an IP address")]
    [InlineData("communicator: tcp, tcp_address: 192.0.2.1", "setting 'tcp_address': cannot listen on 192.0.2.1: it is not an address of this machine")]
    [InlineData("communicator: tcp, tcp_handshake_timeout: soon", "setting 'tcp_handshake_timeout' must be a duration such as 500ms, 5s or 1m, not 'soon'")]
    public async Task A_bad_communicator_setting_is_an_input_error_that_names_it_and_nothing_runs(string settings, string message)
    {
        using var workspace = Workspace.Create();
        workspace.WriteConfig($"plugins:\n  - name: Lute.Executors.Local\n    settings: {{ {settings} }}");
        var path = workspace.Write("tasks.yaml", "tasks:\n  T:\n    command: [touch, launched]\n");

        var (code, process) = await workspace.LuteAsync("run", path);

        Assert.True(code == ExitCodes.BadInput, process.Output);
        var error = Assert.Single(process.Stderr, l => l.StartsWith("lute: error: ", StringComparison.Ordinal));
        Assert.Contains($"{workspace.ConfigPath}:5:5", error, StringComparison.Ordinal);
        Assert.Contains("Lute.Executors.Local", error, StringComparison.Ordinal);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.False(File.Exists(workspace.PathOf("launched")));
        Assert.False(File.Exists(workspace.StorePath));
    }

    [Fact]
    public async Task A_port_range_with_every_port_in_use_is_an_input_error_and_nothing_runs()
    {
        using var first = Listen(0);
        var port = ((IPEndPoint)first.LocalEndPoint!).Port;
        Assert.True(port < IPEndPoint.MaxPort, "the kernel gave the last port; the range below needs the next one");
        using var second = ListenIfFree(port + 1);
        using var workspace = Workspace.Create();
        UseTcp(workspace, settings: $"tcp_ports: {port}-{port + 1}");
        var path = workspace.Write("tasks.yaml", "tasks:\n  T:\n    command: [touch, launched]\n");

        var (code, process) = await workspace.LuteAsync("run", path);

        Assert.True(code == ExitCodes.BadInput, process.Output);
        Assert.Contains(process.Stderr, l => l.EndsWith($"setting 'tcp_ports': every port of {port}-{port + 1} on 127.0.0.1 is in use", StringComparison.Ordinal));
        Assert.False(File.Exists(workspace.PathOf("launched")));
        Assert.False(File.Exists(workspace.StorePath));
    }

    [Fact]
    public async Task The_first_free_port_of_a_range_is_used()
    {
        using var taken = Listen(0);
        var port = ((IPEndPoint)taken.LocalEndPoint!).Port;
        Assert.True(port < IPEndPoint.MaxPort - 1, "the kernel gave one of the last ports; the range below needs the next ones");
        using var workspace = Workspace.Create();
        UseTcp(workspace, settings: $"tcp_ports: {port}-{port + 2}");

        var (code, process) = await workspace.RunTaskAsync($"""
            tasks:
              Ranged:
                command: ["{Repo.TestTask}", messages, "3"]
            """);

        Assert.True(code == ExitCodes.Completed, process.Output);
        var run = await workspace.LatestRunAsync();
        var address = run.Environment["LUTE_ADDRESS"]!;
        var bound = int.Parse(address[(address.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
        Assert.InRange(bound, port + 1, port + 2);
        Assert.Equal("3", run.Payload?.GetRawText());
    }

    private static void UseTcp(Workspace workspace, string settings = "", string hooks = "") =>
        workspace.WriteConfig(
            "console_task_output: false\n"
            + "plugins:\n"
            + "  - name: Lute.Executors.Local\n"
            + $"    settings: {{ communicator: tcp, tcp_address: 127.0.0.1{(settings.Length > 0 ? ", " + settings : string.Empty)} }}\n"
            + hooks);

    private static Socket Listen(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
        socket.Listen();
        return socket;
    }

    /// <summary>Listens on the port, unless another process already does (then it is taken either way).</summary>
    private static Socket? ListenIfFree(int port)
    {
        try
        {
            return Listen(port);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return null;
        }
    }

    private static void AssertRecordedAsTcp(Lute.Host.Store.RunRecord run)
    {
        var changes = run.Environment;
        Assert.StartsWith("127.0.0.1:", changes["LUTE_ADDRESS"], StringComparison.Ordinal);
        Assert.Equal("***", changes["LUTE_TOKEN"]);
        Assert.Equal("1", changes["LUTE_PROTOCOL"]);
        Assert.False(changes.ContainsKey("LUTE_SOCKET"));
        var communicators = run.Communicators;
        Assert.Equal(["standard output and error", $"tcp {changes["LUTE_ADDRESS"]}"], communicators);
    }

    private static string Compact(JsonElement json) => JsonSerializer.Serialize(json);

    [GeneratedRegex(@"\[runner\] Refused connection \d+ from 127\.0\.0\.1:\d+: (?<reason>.+); closed it$")]
    private static partial Regex RefusalLine();
}
