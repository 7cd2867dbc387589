using System.Text.RegularExpressions;
using Lute.Host.Running;
using Lute.Tests.Support;

namespace Lute.Tests.Integration;

/// <summary>
/// Broken task files and plugins.yaml, each run through the real <c>lute run</c>: every one ends with exit code 2,
/// nothing launched or recorded, and one error line naming the file, the line, the column, the problem and the fix.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed partial class BrokenInputSpecs
{
    private const string Tasks = "tasks.yaml";
    private const string Plugins = "plugins.yaml";
    private const string ValidTask = "tasks:\n  A:\n    command: [echo, hello]\n";

    /// <summary>plugins.yaml lines the workspace writes before the case's own (directory, store, logs).</summary>
    private const int ConfigPreamble = 3;

    private static readonly Dictionary<string, BrokenCase> Cases = new BrokenCase[]
    {
        // YAML syntax
        new("yaml: unclosed quote", Tasks, "tasks:\n  A:\n    command: [echo, \"x\n", "3:21", "not valid YAML", "close the quoted value"),
        new("yaml: tab as indentation", Tasks, "tasks:\n  A:\n\tcommand: [echo]\n", "3:1", "invalid tab", "indent with spaces"),
        new("yaml: unclosed list", Tasks, "tasks:\n  A:\n    command: [echo, x\n", "4:1", "not valid YAML", "close the list with ']'"),
        new("yaml: unclosed map", Tasks, "tasks:\n  A: {command: [echo]\n", "3:1", "not valid YAML", "close the map with '}'"),
        new("yaml: colon in a plain value", Tasks, "tasks:\n  A:\n    command: [echo]\n    description: a: b\n", "4:19", "not valid YAML", "quote a value that holds ': '"),
        new("yaml: key out of line", Tasks, "tasks:\n  A:\n    command: [x]\n   timeout: 5s\n", "4:4", "not valid YAML", "by the same number of spaces"),
        new("yaml: duplicate task", Tasks, "tasks:\n  A:\n    command: [echo]\n  A:\n    command: [\"true\"]\n", "4:3", "Duplicate key A", "keep one of the two keys"),
        new("yaml: duplicate key", Tasks, "tasks:\n  A:\n    command: [echo]\n    command: [\"true\"]\n", "4:5", "Duplicate key command", "keep one of the two keys"),
        new("yaml: undefined alias", Tasks, "tasks:\n  A:\n    command: [echo]\n    parameters: { a: *nowhere }\n", "4:22", "anchor 'nowhere'", "define the anchor (&NAME)"),
        new("yaml: character that starts no token", Tasks, "tasks:\n  A:\n    command: [echo]\n    description: `x`\n", "4:18", "not valid YAML", "quote the value"),
        new("yaml: two documents", Tasks, "tasks:\n  A:\n    command: [echo]\n---\ntasks: {}\n", "5:1", "more than one YAML document", "keep one"),
        new("plugins.yaml: yaml syntax", Plugins, "hooks: [\n", "3:1", "not valid YAML", "close an open '['"),

        // Wrong types
        new("type: tasks is a list", Tasks, "tasks: [a, b]\n", "1:8", "tasks must be a map", "write 'KEY: VALUE' lines"),
        new("type: task is a value", Tasks, "tasks:\n  A: run\n", "2:6", "task 'A' must be a map", "write 'KEY: VALUE' lines"),
        new("type: command is a string", Tasks, "tasks:\n  A:\n    command: python3 task.py\n", "3:14", "'command' of task 'A' must be a list", "[python3, task.py"),
        new("type: timeout is a list", Tasks, "tasks:\n  A:\n    command: [echo]\n    timeout: [1]\n", "4:14", "'timeout' of task 'A' must be a single value, not a list", "write one value"),
        new("type: unquoted reference", Tasks, "tasks:\n  A:\n    command: [echo, {{ a }}]\n    parameters: { a: x }\n", "3:21", "must be a single value, not a map", "quote a value that holds a {{ }} reference"),
        new("type: cpu_affinity is not a boolean", Tasks, "tasks:\n  A:\n    command: [echo]\n    cpu_affinity: maybe\n", "4:19", "must be true or false, not 'maybe'", "write true or false"),
        new("type: parameters is a list", Tasks, "tasks:\n  A:\n    command: [echo]\n    parameters: [a, b]\n", "4:17", "must be a map of keys to values, not a list", "write 'KEY: VALUE' lines"),
        new("type: stdin", Tasks, "tasks:\n  A:\n    command: [echo]\n    stdin: open\n", "4:12", "must be 'closed' or 'inherit', not 'open'", "write closed (the default) or inherit"),
        new("type: cancel_signal", Tasks, "tasks:\n  A:\n    command: [echo]\n    cancel_signal: SIGFOO\n", "4:20", "must be a signal name, not 'SIGFOO'", "write one of SIGINT, SIGTERM"),
        new("plugins.yaml: plugins is a map", Plugins, "plugins:\n  name: P\n", "2:3", "'plugins' must be a list", "write [a, b] or one '- item' line"),
        new("plugins.yaml: console_task_output", Plugins, "console_task_output: sometimes\n", "1:22", "must be true or false", "write true or false"),
        new("plugins.yaml: default_executor is a list", Plugins, "default_executor: [a, b]\n", "1:19", "'default_executor' must be a single value, not a list", "write one value"),

        // Unknown keys
        new("unknown: task key typo", Tasks, "tasks:\n  A:\n    commnd: [echo]\n", "3:5", "unknown key 'commnd' in task 'A'", "write 'command' (valid keys: executor, command,"),
        new("unknown: top-level key typo", Tasks, "task:\n  A:\n    command: [echo]\n", "1:1", "unknown key 'task' in the task file", "write 'tasks'"),
        new("unknown: header key", Tasks, "header:\n  color: red\n" + ValidTask, "2:3", "unknown key 'color' in header", "remove it or use one of the valid keys: experiment, run"),
        new("unknown: environment key", Tasks, "tasks:\n  A:\n    command: [echo]\n    environment: { sett: { X: y } }\n", "4:20", "unknown key 'sett'", "write 'set'"),
        new("unknown: tasklet list", Tasks, "tasks:\n  A:\n    command: [echo]\n    tasklets: { during: [] }\n", "4:17", "unknown key 'during'", "valid keys: before, after"),
        new("plugins.yaml: unknown key", Plugins, "plugin_dir: x\n", "1:1", "unknown key 'plugin_dir' in plugins.yaml", "valid keys: directory,"),
        new("plugins.yaml: key typo", Plugins, "drain_timout: 5s\n", "1:1", "unknown key 'drain_timout'", "write 'drain_timeout'"),
        new("plugins.yaml: hook key", Plugins, "hooks:\n  - { use: x, when: always }\n", "2:15", "unknown key 'when' in a hook entry", "valid keys: use, on, tasks"),

        // Missing required fields
        new("missing: empty file", Tasks, string.Empty, "1:1", "the task file is empty", "write a 'tasks:' map"),
        new("missing: no tasks", Tasks, "header: { run: 1 }\n", "1:1", "the task file defines no task", "add a 'tasks:' map"),
        new("missing: command", Tasks, "tasks:\n  A:\n    timeout: 5s\n", "2:3", "task 'A' has no 'command'", "add 'command:'"),
        new("missing: empty command", Tasks, "tasks:\n  A:\n    command: []\n", "2:3", "task 'A' has no 'command'", "add 'command:'"),
        new("missing: empty program", Tasks, "tasks:\n  A:\n    command: [\"\", x]\n", "3:15", "the program of task 'A' is empty", "name the program first"),
        new("missing: task name", Tasks, "tasks:\n  \"\": { command: [echo] }\n", "2:3", "a task needs a name", "write a name"),
        new("missing: tasklet command", Tasks, "tasks:\n  A:\n    command: [echo]\n    tasklets:\n      after:\n        - name: n\n", "6:11", "after tasklet 1 of task 'A' has neither 'command' nor 'use'", "give either 'command:"),
        new("plugins.yaml: plugin without name", Plugins, "plugins:\n  - enabled: false\n", "2:5", "a plugin entry has no 'name'", "add 'name: FOLDER'"),
        new("plugins.yaml: hook without use", Plugins, "hooks:\n  - on: [done]\n", "2:5", "a hook entry has no 'use'", "add 'use: HOOK-NAME'"),
        new("plugins.yaml: duplicate key", Plugins, "store: {}\n", "1:1", "Duplicate key store", "keep one of the two keys"),

        // References
        new("reference: cycle of two", Tasks, "tasks:\n  A:\n    command: [echo, \"{{ a }}\"]\n    parameters: { a: \"{{ b }}\", b: \"{{ a }}\" }\n", "4:36", "cycle: a -> b -> a", "give one of 'a', 'b' a value"),
        new("reference: parameter refers to itself", Tasks, "tasks:\n  A:\n    command: [echo]\n    parameters: { a: \"x{{ a }}\" }\n", "4:22", "cycle: a -> a", "give one of 'a' a value"),
        new("reference: cycle through the header", Tasks, "header:\n  run: \"{{ header.experiment }}\"\n  experiment: \"{{ header.run }}\"\n" + "tasks:\n  A:\n    command: [echo, \"{{ header.run }}\"]\n", "3:15", "cycle: header.run -> header.experiment -> header.run", "give one of 'header.run', 'header.experiment'"),
        new("reference: unclosed", Tasks, "tasks:\n  A:\n    command: [echo, \"{{ a\"]\n", "3:21", "without a closing '}}'", "close the reference with '}}'"),
        new("reference: empty", Tasks, "tasks:\n  A:\n    command: [echo, \"{{ }}\"]\n", "3:21", "an empty reference", "name a parameter"),
        new("reference: unknown name", Tasks, "tasks:\n  A:\n    command: [echo, \"{{ nope }}\"]\n", "3:21", "unknown name 'nope'", "define it under 'parameters'"),
        new("reference: unknown header name", Tasks, "tasks:\n  A:\n    command: [echo, \"{{ header.nope }}\"]\n", "3:21", "unknown name 'header.nope'", "add 'nope' to the header"),
        new("reference: unset variable", Tasks, "tasks:\n  A:\n    command: [echo, \"{{ $LUTE_TEST_SURELY_UNSET }}\"]\n", "3:21", "'LUTE_TEST_SURELY_UNSET'", "set LUTE_TEST_SURELY_UNSET before running lute"),

        // Absurd values
        new("absurd: negative timeout", Tasks, "tasks:\n  A:\n    command: [echo]\n    timeout: -5s\n", "4:14", "must be a duration above 0 and at most 365 days, not '-5s'", "such as 500ms, 30s"),
        new("absurd: zero timeout", Tasks, "tasks:\n  A:\n    command: [echo]\n    timeout: 0\n", "4:14", "not '0'", "such as 500ms, 30s"),
        new("absurd: huge timeout", Tasks, "tasks:\n  A:\n    command: [echo]\n    timeout: 99999d\n", "4:14", "at most 365 days, not '99999d'", "such as 500ms, 30s"),
        new("absurd: exponent timeout", Tasks, "tasks:\n  A:\n    command: [echo]\n    timeout: 1e9s\n", "4:14", "not '1e9s'", "such as 500ms, 30s"),
        new("absurd: negative grace period", Tasks, "tasks:\n  A:\n    command: [echo]\n    grace_period: -1s\n", "4:19", "'grace_period' of task 'A' must be a duration above 0", "such as 500ms, 30s"),
        new("absurd: header timeout", Tasks, "header:\n  timeout: later\n" + ValidTask, "2:12", "header 'timeout' must be a duration above 0", "such as 500ms, 30s"),
        new("absurd: tasklet timeout", Tasks, "tasks:\n  A:\n    command: [echo]\n    tasklets: { after: [{ command: [\"true\"], timeout: -1m }] }\n", "4:55", "'timeout' of after tasklet 1", "such as 500ms, 30s"),
        new("absurd: zero ntasks", Tasks, "tasks:\n  A:\n    command: [echo]\n    resources: { ntasks: 0 }\n", "4:26", "resource 'ntasks' must be a whole number above 0, not '0'", "write a count such as ntasks: 4"),
        new("absurd: negative ntasks", Tasks, "tasks:\n  A:\n    command: [echo]\n    resources: { ntasks: -2 }\n", "4:26", "not '-2'", "write a count such as ntasks: 4"),
        new("absurd: ntasks rendered to zero", Tasks, "tasks:\n  A:\n    command: [echo]\n    parameters: { n: \"0\" }\n    resources: { ntasks: \"{{ n }}\" }\n", "5:26", "resource 'ntasks' must be a whole number above 0, not '0'", "write a count such as ntasks: 4"),
        new("absurd: cpus-per-task", Tasks, "tasks:\n  A:\n    command: [echo]\n    resources: { cpus-per-task: many }\n", "4:33", "resource 'cpus-per-task'", "write a count such as cpus-per-task: 4"),
        new("absurd: node range backwards", Tasks, "tasks:\n  A:\n    command: [echo]\n    resources: { nodes: 4-2 }\n", "4:25", "resource 'nodes' must be a count above 0 or a range MIN-MAX, not '4-2'", "nodes: 2-4"),
        new("plugins.yaml: zero max_message_bytes", Plugins, "max_message_bytes: 0\n", "1:20", "must be a whole number from 1 to 67108864, not '0'", "1048576"),
        new("plugins.yaml: negative max_message_bytes", Plugins, "max_message_bytes: -1\n", "1:20", "not '-1'", "1048576"),
        new("plugins.yaml: huge max_message_bytes", Plugins, "max_message_bytes: 99999999999\n", "1:20", "not '99999999999'", "1048576"),
        new("plugins.yaml: negative drain_timeout", Plugins, "drain_timeout: -1s\n", "1:16", "'drain_timeout' must be a duration above 0", "such as 500ms, 30s"),
        new("plugins.yaml: negative hook timeout", Plugins, "hooks:\n  - { use: x, timeout: -1 }\n", "2:24", "a hook's 'timeout' must be a duration above 0", "such as 500ms, 30s"),
        new("plugins.yaml: short sha256", Plugins, "plugins:\n  - name: Lute.Executors.Local\n    sha256: abc\n", "3:13", "'sha256' must be 64 hexadecimal digits, not 'abc'", "sha256sum"),
        new("plugins.yaml: unknown event", Plugins, "hooks:\n  - { use: x, on: [finished] }\n", "2:20", "unknown event 'finished'", "write one of the events:"),
        new("plugins.yaml: alias into its own anchor", Plugins, "plugins:\n  - name: Lute.Executors.Local\n    settings: &loop { x: *loop }\n", "3:15", "nest deeper than 32 levels", "remove the alias (*NAME)"),
        new("plugins.yaml: alias bomb", Plugins, "plugins:\n  - name: Lute.Executors.Local\n    settings:\n      a: &a [x, x, x, x, x, x, x, x, x, x]\n      b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n      c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n      d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n      e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n", "4:*", "hold more than 10000 values", "do not repeat large anchors"),
        new("plugins.yaml: communicator", Plugins, "plugins:\n  - name: Lute.Executors.Local\n    settings: { communicator: carrier-pigeon }\n", "2:5", "setting 'communicator' must be unix or tcp, not 'carrier-pigeon'", "write a value the message allows"),
        new("plugins.yaml: negative handshake timeout", Plugins, "plugins:\n  - name: Lute.Executors.Local\n    settings: { tcp_handshake_timeout: -1s }\n", "2:5", "setting 'tcp_handshake_timeout'", "write a value the message allows"),
        new("plugins.yaml: port out of range", Plugins, "plugins:\n  - name: Lute.Executors.Local\n    settings: { tcp_ports: 70000 }\n", "2:5", "setting 'tcp_ports'", "write a value the message allows"),

        // Names no plugin provides
        new("name: unknown executor", Tasks, "tasks:\n  A:\n    executor: warp-drive\n    command: [echo]\n", "3:15", "no executor named 'warp-drive'", "write one of the available executors: local"),
        new("name: unknown tasklet", Tasks, "tasks:\n  A:\n    command: [echo]\n    tasklets:\n      before:\n        - use: no.such.tasklet\n", "6:11", "no tasklet named 'no.such.tasklet'", "install a plugin that provides a tasklet"),
        new("plugins.yaml: unknown hook", Plugins, "hooks:\n  - { use: no.such.hook, on: [done] }\n", "2:5", "no hook named 'no.such.hook'", "install a plugin that provides a hook"),
        new("plugins.yaml: unknown default executor", Plugins, "default_executor: warp-drive\n", "1:19", "no executor named 'warp-drive'", "write one of the available executors: local"),
        new("missing: environment script", Tasks, "tasks:\n  A:\n    command: [echo]\n    environment: { source: /nonexistent/setup.sh }\n", "4:28", "the environment script '/nonexistent/setup.sh' does not exist", "give the path of an existing script"),
    }.ToDictionary(c => c.Name, StringComparer.Ordinal);

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Fact]
    public void The_table_covers_every_kind_of_broken_input()
    {
        var kinds = Cases.Keys.Select(name => name[..name.IndexOf(':', StringComparison.Ordinal)]).ToHashSet(StringComparer.Ordinal);

        Assert.Superset(new HashSet<string> { "yaml", "type", "unknown", "missing", "reference", "absurd", "plugins.yaml", "name" }, kinds);
        Assert.True(Cases.Count >= 70, $"{Cases.Count} cases");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Broken_input_exits_2_with_file_line_column_and_fix(string name)
    {
        var broken = Cases[name];
        using var workspace = Workspace.Create();
        string file;
        string place;
        if (broken.File == Plugins)
        {
            workspace.WriteConfig(broken.Yaml);
            file = workspace.ConfigPath;
            var line = int.Parse(broken.Place[..broken.Place.IndexOf(':', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
            place = $"{line + ConfigPreamble}{broken.Place[broken.Place.IndexOf(':', StringComparison.Ordinal)..]}";
        }
        else
        {
            file = workspace.Write(Tasks, broken.Yaml);
            place = broken.Place;
        }

        var taskFile = broken.File == Plugins ? workspace.Write(Tasks, ValidTask) : file;

        var (code, process) = await workspace.LuteAsync("run", taskFile);
        using (process)
        {
            Assert.True(code == ExitCodes.BadInput, $"exit code {code}\n{process.Output}");
            var errors = process.Stderr.Where(l => l.StartsWith("lute: error: ", StringComparison.Ordinal)).ToList();
            var error = Assert.Single(errors);
            var match = ErrorLine().Match(error);
            Assert.True(match.Success, $"not 'lute: error: FILE:LINE:COLUMN: PROBLEM; fix: FIX': {error}");
            Assert.Equal(file, match.Groups["file"].Value);
            var (expectedLine, expectedColumn) = (place[..place.IndexOf(':', StringComparison.Ordinal)], place[(place.IndexOf(':', StringComparison.Ordinal) + 1)..]);
            Assert.Equal(expectedLine, match.Groups["line"].Value);
            if (expectedColumn != "*")
            {
                Assert.Equal(expectedColumn, match.Groups["column"].Value);
            }

            Assert.Contains(broken.Problem, match.Groups["problem"].Value, StringComparison.Ordinal);
            Assert.Contains(broken.Fix, match.Groups["fix"].Value, StringComparison.Ordinal);
            Assert.DoesNotContain(process.Stderr, l => l.Contains("   at ", StringComparison.Ordinal));
            Assert.Empty(File.Exists(workspace.StorePath) ? await workspace.RunsAsync() : []);
        }
    }

    [GeneratedRegex(@"^lute: error: (?<file>/[^:]+):(?<line>\d+):(?<column>\d+): (?<problem>.+); fix: (?<fix>.+)$")]
    private static partial Regex ErrorLine();

    /// <summary>One broken input.</summary>
    /// <param name="Name">What is broken: "KIND: detail".</param>
    /// <param name="File">Which file holds it: the task file or plugins.yaml.</param>
    /// <param name="Yaml">The file's text (for plugins.yaml, after the workspace's own lines).</param>
    /// <param name="Place">LINE:COLUMN expected in the message (for plugins.yaml, counted from the case's text; * for any column).</param>
    /// <param name="Problem">Part of the problem the message must name.</param>
    /// <param name="Fix">Part of the fix the message must give.</param>
    private sealed record BrokenCase(string Name, string File, string Yaml, string Place, string Problem, string Fix);
}
