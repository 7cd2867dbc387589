using System.Globalization;
using System.Text;
using Lute.Contracts;
using Lute.Host.Running;
using Lute.Tests.Integration;
using Lute.Tests.Support;

namespace Lute.Tests.Reliability;

/// <summary>Nobody but the task talks to its runner; secrets stay out of logs and the store; plugins are checked.</summary>
[Collection(ProcessCollection.Name)]
public sealed class TrustSpecs
{
    private const string Nobody = "65534";

    [Fact]
    public async Task Another_user_cannot_reach_the_runners_unix_socket()
    {
        using var workspace = Workspace.Create();
        var release = workspace.MakeFifo("release");
        // The task says where its socket is, then waits until the test has tried it as another user.
        var tasks = workspace.Write("tasks.yaml", $$$"""
            tasks:
              Private:
                shell: 'echo "$LUTE_SOCKET" > socket.txt; echo ready; read line < {{ path }}; echo "released: $line"'
                parameters: { path: "{{{release}}}" }
            """);
        using var lute = workspace.Start(["run", tasks]);
        await lute.WaitForLineAsync(l => l.EndsWith("[Private stdout] ready", StringComparison.Ordinal), Workspace.DefaultTimeout);
        var socket = File.ReadAllText(workspace.PathOf("socket.txt")).Trim();

        var directoryMode = File.GetUnixFileMode(Path.GetDirectoryName(socket)!);
        var socketMode = File.GetUnixFileMode(socket);
        var (asNobody, nobodySaid) = await ConnectAsync(socket, asNobody: true);
        var (asOwner, ownerSaid) = await ConnectAsync(socket, asNobody: false);
        await File.WriteAllTextAsync(release, "go\n");
        var code = await lute.WaitForExitAsync(Workspace.DefaultTimeout);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, directoryMode);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, socketMode);
        Assert.True(asNobody != 0, $"user nobody connected to the runner's socket: {nobodySaid}");
        Assert.Contains("PermissionError", nobodySaid, StringComparison.Ordinal);
        Assert.True(asOwner == 0, $"the runner's own user could not connect (the check above proves nothing then): {ownerSaid}");
        Assert.True(code == ExitCodes.Completed, lute.Output);
        Assert.False(Directory.Exists(Path.GetDirectoryName(socket)), "the socket's directory outlived the run");
    }

    [Fact]
    public async Task The_tcp_token_is_never_logged_or_stored_and_a_token_one_character_off_is_refused()
    {
        using var workspace = Workspace.Create();
        workspace.WriteConfig(
            "plugins:\n  - name: Lute.Executors.Local\n    settings: { communicator: tcp, tcp_address: 127.0.0.1, tcp_handshake_timeout: 2s }\n");
        workspace.Write("near.py", """
            import os, socket, lute_task
            host, port = os.environ["LUTE_ADDRESS"].rsplit(":", 1)
            token = os.environ["LUTE_TOKEN"]
            with open("token.txt", "w") as f:
                f.write(token)
            # The right token but for its last character: compared in full, so refused like any other.
            near = token[:-1] + ("0" if token[-1] != "0" else "1")
            s = socket.create_connection((host, int(port)))
            s.sendall(b'{"v": 1, "token": "' + near.encode() + b'"}\n{"v": 1, "signal": "TASK_RESULT", "contents": {"payload": "sneaky"}}\n')
            refused = s.recv(1) == b""
            s.close()
            with lute_task.connect() as lute:
                lute.log("near token refused: " + str(refused))
                lute.result(payload="survived")
            """);

        var (code, process) = await workspace.RunTaskAsync($$"""
            tasks:
              Near:
                command: [python3, near.py]
                environment: { prepend: { PYTHONPATH: "{{Repo.PythonClient}}" } }
            """);

        Assert.True(code == ExitCodes.Completed, process.Output);
        var token = File.ReadAllText(workspace.PathOf("token.txt"));
        Assert.Matches("^[0-9a-f]{64}$", token);
        var run = await workspace.LatestRunAsync();
        var log = File.ReadAllText(run.LogPath!);
        Assert.Contains("[Near log] near token refused: True", log, StringComparison.Ordinal);
        Assert.Contains("its handshake presents a wrong token", log, StringComparison.Ordinal);

        // Neither the token nor the near miss appears in the console, the run's log or the store's bytes, except
        // where the task itself chose to put it (its result).
        var near = token[..^1];
        Assert.DoesNotContain(near, process.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(near, log, StringComparison.Ordinal);
        Assert.Contains("\"LUTE_TOKEN\": \"***\"", string.Join('\n', (await workspace.LuteAsync("show", run.Id.ToString(CultureInfo.InvariantCulture))).Process.Stdout), StringComparison.Ordinal);
        Assert.DoesNotContain(near, Encoding.Latin1.GetString(await ReadStoreBytesAsync(workspace)), StringComparison.Ordinal);
        Assert.Equal("\"survived\"", run.Payload?.GetRawText());
    }

    [Fact]
    public async Task Secret_variables_are_masked_in_the_log_and_the_store_wherever_they_appear()
    {
        using var workspace = Workspace.Create();
        workspace.WriteConfig("secret_variables: ['*TOKEN*', '*PASSWORD*', 'FACILITY_*']");
        const string Password = "hunter2-very-secret";
        const string ApiToken = "tok-0123456789abcdef";
        const string Facility = "facility-private-value";
        var environment = new Dictionary<string, string?> { ["DB_PASSWORD"] = Password, ["FACILITY_CODE"] = Facility };

        var (code, process) = await workspace.RunTaskAsync($$$"""
            tasks:
              Secretive:
                command: [sh, -c, 'echo "task sees ${#DB_PASSWORD} ${#API_TOKEN}"', "{{ $DB_PASSWORD }}", "{{ password }}"]
                parameters: { password: "{{ $DB_PASSWORD }}", code: "{{ $FACILITY_CODE }}", plain: visible-value }
                environment: { set: { API_TOKEN: "{{{ApiToken}}}", NOT_HIDDEN: visible-env } }
            """, environment);

        Assert.True(code == ExitCodes.Completed, process.Output);
        var run = await workspace.LatestRunAsync();
        var log = File.ReadAllText(run.LogPath!);
        // The task got the real values.
        Assert.Contains($"[Secretive stdout] task sees {Password.Length} {ApiToken.Length}", log, StringComparison.Ordinal);
        var (_, show) = await workspace.LuteAsync("show", run.Id.ToString(CultureInfo.InvariantCulture));
        var recorded = string.Join('\n', show.Stdout) + Encoding.Latin1.GetString(await ReadStoreBytesAsync(workspace));
        foreach (var secret in new[] { Password, ApiToken })
        {
            Assert.DoesNotContain(secret, process.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, log, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, recorded, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(Facility, recorded, StringComparison.Ordinal);
        Assert.Contains("\"code\": \"***\"", recorded, StringComparison.Ordinal);
        Assert.Contains("\"API_TOKEN\": \"***\"", recorded, StringComparison.Ordinal);
        Assert.Contains("\"password\": \"***\"", recorded, StringComparison.Ordinal);
        Assert.Contains("visible-value", recorded, StringComparison.Ordinal);
        Assert.Contains("visible-env", recorded, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Template_values_reach_a_program_as_one_argument_and_a_shell_script_only_quoted()
    {
        using var workspace = Workspace.Create();
        const string Hostile = "x'; touch pwned-$((6*7)); echo '\"$(id)\" `id` ; |&";
        workspace.Write("args.py", "import sys\nprint(str(len(sys.argv) - 1) + ':' + '|'.join(sys.argv[1:]))\n");

        var (code, process) = await workspace.RunTaskAsync($$$"""
            tasks:
              Quoted:
                shell: 'printf "%s|" {{ value }} "{{ value }}" ''{{ value }}''; python3 args.py {{ value }}'
                parameters: { value: "{{{Hostile.Replace("\"", "\\\"", StringComparison.Ordinal)}}}" }
            """);
        var (argvCode, argv) = await workspace.RunTaskAsync($$$"""
            tasks:
              Direct:
                command: [python3, args.py, "{{ value }}"]
                parameters: { value: "{{{Hostile.Replace("\"", "\\\"", StringComparison.Ordinal)}}}" }
            """, "direct.yaml");

        Assert.True(code == ExitCodes.Completed, process.Output);
        Assert.True(argvCode == ExitCodes.Completed, argv.Output);
        Assert.False(File.Exists(workspace.PathOf("pwned-42")), "a template value was run as shell code");
        var oneArgument = "1:" + Hostile;
        Assert.Contains(argv.Stderr, l => l.EndsWith("[Direct stdout] " + oneArgument, StringComparison.Ordinal));
        // Bare, in double quotes and in single quotes: each time exactly the value, as one word.
        Assert.Contains(process.Stderr, l => l.EndsWith($"[Quoted stdout] {Hostile}|{Hostile}|{Hostile}|{oneArgument}", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Dollar", "$(echo {{ header.run }})")]
    [InlineData("Backticks", "`echo {{ header.run }}`")]
    public async Task A_value_in_a_command_substitution_inside_double_quotes_is_quoted_as_a_word_there(string task, string substitution)
    {
        using var workspace = Workspace.Create();
        var tasks = workspace.Write("tasks.yaml", $$"""
            header:
              run: 'x; touch pwned; echo y'
            tasks:
              {{task}}:
                shell: 'echo "result: {{substitution}}"'
            """);

        var (code, process) = await workspace.LuteAsync("run", tasks);

        Assert.True(code == ExitCodes.Completed, process.Output);
        Assert.False(File.Exists(workspace.PathOf("pwned")), "a header value was run as shell code:\n" + process.Output);
        Assert.Contains(process.Stderr, l => l.EndsWith($"[{task} stdout] result: x; touch pwned; echo y", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_value_where_quoting_cannot_be_proven_safe_stops_the_run_naming_file_line_and_column()
    {
        using var workspace = Workspace.Create();
        var tasks = workspace.Write("tasks.yaml", """
            header:
              run: 'x; touch pwned; echo y'
            tasks:
              Defaulted:
                shell: 'echo "${UNSET:-{{ header.run }}}"'
            """);

        var (code, process) = await workspace.LuteAsync("run", tasks);

        Assert.True(code == ExitCodes.BadInput, process.Output);
        Assert.False(File.Exists(workspace.PathOf("pwned")), process.Output);
        var error = Assert.Single(process.Stderr, l => l.StartsWith("lute: error: ", StringComparison.Ordinal));
        Assert.StartsWith($"lute: error: {tasks}:5:12: {{{{ header.run }}}} (script line 1, column 16) cannot be put in safely: it is inside ${{...}}", error, StringComparison.Ordinal);
        Assert.Contains("; fix: give the value to a variable first", error, StringComparison.Ordinal);
        Assert.Empty(File.Exists(workspace.StorePath) ? await workspace.RunsAsync() : []);
    }

    [Fact]
    public async Task A_plugin_others_can_write_is_warned_about_and_refused_when_asked()
    {
        using var workspace = Workspace.Create();
        // A real copy (links point at the build output): its folder is made writable by every user.
        var exposed = Path.Combine(workspace.PluginDirectory, "Lute.TestPlugins.Hooks");
        Directory.CreateDirectory(exposed);
        foreach (var file in Directory.GetFiles(Repo.TestPlugin("Lute.TestPlugins.Hooks")))
        {
            File.Copy(file, Path.Combine(exposed, Path.GetFileName(file)));
        }

        File.SetUnixFileMode(exposed, (UnixFileMode)Convert.ToInt32("777", 8));
        workspace.WriteConfig("hooks:\n  - { use: test.record, on: [run_start] }");
        var tasks = workspace.Write("tasks.yaml", "tasks:\n  T:\n    command: [\"true\"]\n");

        var (warned, run) = await workspace.LuteAsync("run", tasks);
        workspace.WriteConfig("plugin_permissions: refuse\nhooks:\n  - { use: test.record, on: [run_start] }");
        var (refused, refusal) = await workspace.LuteAsync("run", tasks);
        var (_, listing) = await workspace.LuteAsync("plugins");

        Assert.True(warned == ExitCodes.Completed, run.Output);
        Assert.Contains(run.Stderr, l => l.Contains($"Plugin Lute.TestPlugins.Hooks: {exposed} can be written by every user (mode 777)", StringComparison.Ordinal));
        Assert.True(refused == ExitCodes.BadInput, refusal.Output);
        Assert.Contains(refusal.Stderr, l => l.Contains("can be written by every user (mode 777); refusing to load it (plugin_permissions: refuse)", StringComparison.Ordinal));
        Assert.Contains(listing.Stdout, l => l.Contains("refusing to load it", StringComparison.Ordinal));
        // The local executor's folder is not exposed: it still loads.
        Assert.Contains(listing.Stdout, l => l.StartsWith("Lute.Executors.Local ", StringComparison.Ordinal) && l.EndsWith(": loaded", StringComparison.Ordinal));
    }

    /// <summary>Connects to a Unix socket with Python, as the test's user or as nobody (through setpriv).</summary>
    private static async Task<(int Code, string Output)> ConnectAsync(string socket, bool asNobody)
    {
        // The system's Python: a per-user one (pyenv) may not be readable by nobody.
        string[] python = ["/usr/bin/python3", "-c", "import socket, sys; s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.close()", socket];
        string[] command = asNobody ? ["setpriv", $"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups", .. python] : python;
        using var process = ChildProcess.Start(command[0], command[1..], "/");
        var code = await process.WaitForExitAsync(Workspace.DefaultTimeout);
        return (code, process.Output);
    }

    private static async Task<byte[]> ReadStoreBytesAsync(Workspace workspace)
    {
        // The write-ahead log holds recent writes until a checkpoint: read both files.
        var bytes = new List<byte>(await File.ReadAllBytesAsync(workspace.StorePath));
        if (File.Exists(workspace.StorePath + "-wal"))
        {
            bytes.AddRange(await File.ReadAllBytesAsync(workspace.StorePath + "-wal"));
        }

        return [.. bytes];
    }
}
