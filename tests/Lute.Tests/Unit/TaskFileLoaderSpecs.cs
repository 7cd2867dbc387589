using Lute.Contracts;
using Lute.Host.Configuration;

namespace Lute.Tests.Unit;

public sealed class TaskFileLoaderSpecs
{
    private const string File = "t.yaml";

    private const string ValidFile = """
        header:
          experiment: mnist
          run: 0007
          work_dir: "{{ $HOME }}/work"
          timeout: 2h
          grace_period: 30s
        tasks:
          train:
            description: trains the model
            executor: local
            command: [python3, train.py, --lr, "{{ lr }}"]
            parameters:
              lr: 0.001
              code: 007
              ratio: nan
              flag: yes
              off: NO
              nothing: ~
              quoted: "it's \"quoted\""
            environment:
              source: env.sh
              set:
                MODE: fast
              prepend:
                PATH: /opt/bin
              append:
                LD_LIBRARY_PATH: /opt/lib
              unset: [DEBUG, TRACE]
            timeout: 90m
            grace_period: 500ms
            cancel_signal: SIGINT
            stdin: inherit
            work_dir: /tmp/w
            result: "{{ lr }}"
            resources:
              gpus: 2
              memory: 16G
            cpu_affinity: yes
            tasklets:
              before:
                - command: [/usr/bin/nvidia-smi, -L]
                  summary: yes
                - use: snapshot
                  args: [a, b]
                  name: snap
                  timeout: 10s
                  on_failure: fail
              after:
                - use: collect
                  summary: metrics
                  result: true
          second:
            command: [echo, hi]
        """;

    [Fact]
    public void A_valid_file_is_read_with_every_section()
    {
        // Act
        var file = TaskFileLoader.Parse(File, ValidFile);

        // Assert: header
        Assert.Equal(Path.GetFullPath(File), file.Path);
        Assert.Equal("mnist", file.Header.Experiment);
        Assert.Equal("0007", file.Header.Run);
        Assert.Equal("{{ $HOME }}/work", file.Header.WorkDirectory?.Text);
        Assert.Equal(TimeSpan.FromHours(2), file.Header.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(30), file.Header.GracePeriod);
        Assert.Equal(["experiment", "grace_period", "run", "timeout", "work_dir"], file.Header.Values.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("0007", file.Header.Values["run"].Text);
        Assert.Equal(new SourceLocation(File, 3, 8), file.Header.Values["run"].Location);

        // Assert: tasks in file order
        Assert.Equal(["train", "second"], file.Tasks.Select(t => t.Name));
        var train = file.Find("train");
        Assert.Equal(new SourceLocation(File, 8, 3), train.Location);
        Assert.Equal("local", train.Executor);
        Assert.Equal(["python3", "train.py", "--lr", "{{ lr }}"], train.Command.Select(c => c.Text));
        Assert.Equal(new SourceLocation(File, 11, 40), train.Command[3].Location);

        // Assert: parameters stay exactly as written, in file order
        Assert.Equal(
            [
                KeyValuePair.Create("lr", "0.001"),
                KeyValuePair.Create("code", "007"),
                KeyValuePair.Create("ratio", "nan"),
                KeyValuePair.Create("flag", "yes"),
                KeyValuePair.Create("off", "NO"),
                KeyValuePair.Create("nothing", "~"),
                KeyValuePair.Create("quoted", "it's \"quoted\""),
            ],
            train.Parameters.Select(p => KeyValuePair.Create(p.Key, p.Value.Text)));
        Assert.Equal(new SourceLocation(File, 14, 13), train.Parameters[1].Value.Location);

        // Assert: environment
        Assert.Equal("env.sh", train.Environment.Source?.Text);
        Assert.Equal([KeyValuePair.Create("MODE", "fast")], train.Environment.Set.Select(p => KeyValuePair.Create(p.Key, p.Value.Text)));
        Assert.Equal([KeyValuePair.Create("PATH", "/opt/bin")], train.Environment.Prepend.Select(p => KeyValuePair.Create(p.Key, p.Value.Text)));
        Assert.Equal([KeyValuePair.Create("LD_LIBRARY_PATH", "/opt/lib")], train.Environment.Append.Select(p => KeyValuePair.Create(p.Key, p.Value.Text)));
        Assert.Equal(["DEBUG", "TRACE"], train.Environment.Unset);

        // Assert: scalars
        Assert.Equal(TimeSpan.FromMinutes(90), train.Timeout);
        Assert.Equal(TimeSpan.FromMilliseconds(500), train.GracePeriod);
        Assert.Equal(TaskSignal.Interrupt, train.CancelSignal);
        Assert.Equal(StandardInputMode.Inherit, train.StandardInput);
        Assert.Equal("/tmp/w", train.WorkingDirectory?.Text);
        Assert.Equal("{{ lr }}", train.Result?.Text);
        Assert.True(train.CpuAffinity);
        Assert.Equal(
            [KeyValuePair.Create("gpus", "2"), KeyValuePair.Create("memory", "16G")],
            train.Resources.Select(p => KeyValuePair.Create(p.Key, p.Value.Text)));

        // Assert: tasklets
        Assert.Equal(2, train.Before.Count);
        var smi = train.Before[0];
        Assert.Equal("nvidia-smi", smi.Name);
        Assert.Null(smi.Use);
        Assert.Equal(["/usr/bin/nvidia-smi", "-L"], smi.Arguments.Select(a => a.Text));
        Assert.Equal("nvidia-smi", smi.SummaryKey);
        Assert.Equal(TimeSpan.FromMinutes(5), smi.Timeout);
        Assert.Equal(TaskletFailurePolicy.Continue, smi.OnFailure);
        Assert.False(smi.AsResult);
        var snap = train.Before[1];
        Assert.Equal("snap", snap.Name);
        Assert.Equal("snapshot", snap.Use);
        Assert.Equal(["a", "b"], snap.Arguments.Select(a => a.Text));
        Assert.Equal(TimeSpan.FromSeconds(10), snap.Timeout);
        Assert.Equal(TaskletFailurePolicy.Fail, snap.OnFailure);
        Assert.Null(snap.SummaryKey);
        var collect = Assert.Single(train.After);
        Assert.Equal("collect", collect.Name);
        Assert.Equal("collect", collect.Use);
        Assert.Equal("metrics", collect.SummaryKey);
        Assert.True(collect.AsResult);

        // Assert: defaults of a minimal task
        var second = file.Find("second");
        Assert.Equal(["echo", "hi"], second.Command.Select(c => c.Text));
        Assert.Null(second.Executor);
        Assert.Null(second.Timeout);
        Assert.Equal(TaskSignal.Terminate, second.CancelSignal);
        Assert.Equal(StandardInputMode.Closed, second.StandardInput);
        Assert.Empty(second.Parameters);
        Assert.Empty(second.Before);
        Assert.Empty(second.After);
        Assert.False(second.CpuAffinity);
    }

    [Theory]
    [InlineData("007")]
    [InlineData("nan")]
    [InlineData("yes")]
    [InlineData("1e3")]
    [InlineData("0x1F")]
    [InlineData("true")]
    [InlineData("2024-01-02")]
    [InlineData("1_000")]
    public void A_parameter_stays_exactly_as_written(string value)
    {
        // Arrange
        var text = $"tasks:\n  t:\n    command: [x]\n    parameters:\n      p: {value}\n";

        // Act
        var file = TaskFileLoader.Parse(File, text);

        // Assert
        Assert.Equal(value, Assert.Single(file.Tasks[0].Parameters).Value.Text);
    }

    [Fact]
    public void A_command_tasklet_without_a_name_is_named_after_its_program()
    {
        // Arrange
        var text = "tasks:\n  t:\n    command: [x]\n    tasklets:\n      after:\n        - command: [./scripts/collect.sh]\n";

        // Act
        var tasklet = Assert.Single(TaskFileLoader.Parse(File, text).Tasks[0].After);

        // Assert
        Assert.Equal("collect.sh", tasklet.Name);
        Assert.Equal(new SourceLocation(File, 6, 11), tasklet.Location);
    }

    public static TheoryData<string, string, string, string> BrokenFiles => new()
    {
        { "unclosed bracket", "tasks:\n  a:\n    command: [x, y\n", "t.yaml:4:1: ", "not valid YAML" },
        { "bad indentation", "tasks:\n  a:\n    command: [x]\n   timeout: 5s\n", "t.yaml:4:4: ", "not valid YAML" },
        { "unterminated quote", "tasks:\n  a:\n    command: [\"x]\n", "t.yaml:3:15: ", "not valid YAML" },
        { "unknown top-level key", "header: {}\ntask:\n  a:\n    command: [x]\n", "t.yaml:2:1: ", "unknown key 'task' in the task file; fix: write 'tasks' (valid keys: header, tasks" },
        { "unknown header key", "header:\n  runs: 1\ntasks:\n  a:\n    command: [x]\n", "t.yaml:2:3: ", "unknown key 'runs' in header; fix: write 'run' (valid keys: experiment, run" },
        { "unknown task key", "tasks:\n  a:\n    command: [x]\n    comand: [y]\n", "t.yaml:4:5: ", "unknown key 'comand' in task 'a'; fix: write 'command' (valid keys: executor, command, shell, parameters, environment, timeout" },
        { "command as a string", "tasks:\n  a:\n    command: python3 train.py\n", "t.yaml:3:14: ", "'command' of task 'a' must be a list" },
        { "missing command", "tasks:\n  a:\n    executor: local\n", "t.yaml:2:3: ", "task 'a' has no 'command'" },
        { "empty command", "tasks:\n  a:\n    command: []\n", "t.yaml:2:3: ", "task 'a' has no 'command'" },
        { "command item is a list", "tasks:\n  a:\n    command: [x, [y]]\n", "t.yaml:3:18: ", "must be a single value" },
        { "negative timeout", "tasks:\n  a:\n    command: [x]\n    timeout: -5s\n", "t.yaml:4:14: ", "must be a duration above 0 and at most 365 days, not '-5s'" },
        { "zero timeout", "tasks:\n  a:\n    command: [x]\n    timeout: 0s\n", "t.yaml:4:14: ", "must be a duration above 0 and at most 365 days, not '0s'" },
        { "bare zero timeout", "tasks:\n  a:\n    command: [x]\n    timeout: 0\n", "t.yaml:4:14: ", "must be a duration above 0" },
        { "garbage timeout", "tasks:\n  a:\n    command: [x]\n    timeout: soon\n", "t.yaml:4:14: ", "'timeout' of task 'a' must be a duration above 0 and at most 365 days, not 'soon'" },
        { "unknown timeout unit", "tasks:\n  a:\n    command: [x]\n    timeout: 5y\n", "t.yaml:4:14: ", "not '5y'" },
        { "header timeout garbage", "header:\n  timeout: later\ntasks:\n  a:\n    command: [x]\n", "t.yaml:2:12: ", "header 'timeout' must be a duration above 0" },
        { "bad cancel_signal", "tasks:\n  a:\n    command: [x]\n    cancel_signal: SIGFOO\n", "t.yaml:4:20: ", "fix: write one of SIGINT, SIGTERM, SIGHUP" },
        { "SIGKILL as cancel_signal", "tasks:\n  a:\n    command: [x]\n    cancel_signal: SIGKILL\n", "t.yaml:4:20: ", "must be a signal the task can end on gracefully, not 'SIGKILL': SIGKILL cannot be caught" },
        { "SIGSTOP as cancel_signal", "tasks:\n  a:\n    command: [x]\n    cancel_signal: SIGSTOP\n", "t.yaml:4:20: ", "not 'SIGSTOP': SIGSTOP only pauses a task" },
        { "TSTP as cancel_signal", "tasks:\n  a:\n    command: [x]\n    cancel_signal: TSTP\n", "t.yaml:4:20: ", "not 'TSTP': SIGTSTP only pauses a task" },
        { "SIGCONT as cancel_signal", "tasks:\n  a:\n    command: [x]\n    cancel_signal: sigcont\n", "t.yaml:4:20: ", "not 'sigcont': SIGCONT only resumes a stopped task" },
        { "bad stdin", "tasks:\n  a:\n    command: [x]\n    stdin: open\n", "t.yaml:4:12: ", "'stdin' of task 'a' must be 'closed' or 'inherit', not 'open'" },
        { "bad cpu_affinity", "tasks:\n  a:\n    command: [x]\n    cpu_affinity: maybe\n", "t.yaml:4:19: ", "must be true or false, not 'maybe'" },
        { "parameters as a list", "tasks:\n  a:\n    command: [x]\n    parameters: [a, b]\n", "t.yaml:4:17: ", "must be a map of keys to values, not a list" },
        { "parameter value is a map", "tasks:\n  a:\n    command: [x]\n    parameters:\n      p: {q: 1}\n", "t.yaml:5:10: ", "'p' in 'parameters' of task 'a' must be a single value, not a map" },
        { "unknown environment key", "tasks:\n  a:\n    command: [x]\n    environment:\n      sett: {A: b}\n", "t.yaml:5:7: ", "unknown key 'sett'" },
        { "tasklet with use and command", "tasks:\n  a:\n    command: [x]\n    tasklets:\n      before:\n        - use: snap\n          command: [y]\n", "t.yaml:6:11: ", "before tasklet 1 of task 'a' has both 'command' and 'use'; fix: give either 'command: [program, args...]' or 'use: TASKLET'" },
        { "tasklet with neither use nor command", "tasks:\n  a:\n    command: [x]\n    tasklets:\n      after:\n        - name: n\n", "t.yaml:6:11: ", "after tasklet 1 of task 'a' has neither 'command' nor 'use'" },
        { "tasklet bad on_failure", "tasks:\n  a:\n    command: [x]\n    tasklets:\n      after:\n        - use: u\n          on_failure: stop\n", "t.yaml:7:23: ", "must be 'continue' or 'fail', not 'stop'" },
        { "unknown tasklet list", "tasks:\n  a:\n    command: [x]\n    tasklets:\n      during: []\n", "t.yaml:5:7: ", "unknown key 'during' in the tasklets of task 'a'; fix: remove it or use one of the valid keys: before, after" },
        { "duplicate key", "tasks:\n  a:\n    command: [x]\n    command: [y]\n", "t.yaml:4:5: ", "Duplicate key" },
        { "duplicate parameter", "tasks:\n  a:\n    command: [x]\n    parameters:\n      p: 1\n      p: 2\n", "t.yaml:6:7: ", "Duplicate key" },
        { "empty file", "", "t.yaml:1:1: ", "the task file is empty" },
        { "only a comment", "# nothing here\n", "t.yaml:1:1: ", "the task file is empty" },
        { "no tasks", "header:\n  run: 1\n", "t.yaml:1:1: ", "the task file defines no task" },
        { "tasks not a map", "tasks: [a, b]\n", "t.yaml:1:8: ", "tasks must be a map of keys to values, not a list" },
        { "file not a map", "- tasks\n", "t.yaml:1:1: ", "a task file must be a map of keys to values, not a list" },
        { "task not a map", "tasks:\n  a: run\n", "t.yaml:2:6: ", "task 'a' must be a map of keys to values, not the value 'run'" },
        { "two documents", "tasks:\n  a:\n    command: [x]\n---\ntasks: {}\n", "t.yaml:5:1: ", "more than one YAML document" },
    };

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public void A_broken_file_is_an_error_naming_its_place(string because, string text, string place, string phrase)
    {
        // Act
        var error = Assert.Throws<ConfigurationException>(() => TaskFileLoader.Parse(File, text));

        // Assert
        Assert.True(error.Message.StartsWith(place, StringComparison.Ordinal), $"{because}: expected '{place}' first in: {error.Message}");
        Assert.Contains(phrase, error.Message, StringComparison.Ordinal);
        Assert.Equal(error.Message, $"{error.Location}: {error.Problem}; fix: {error.Fix}");
    }
}
