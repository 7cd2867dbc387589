using Lute.Contracts;
using YamlDotNet.RepresentationModel;

namespace Lute.Host.Configuration;

/// <summary>Reads task files. Every error names the file, the line, the column and what was expected.</summary>
public static class TaskFileLoader
{
    internal static readonly string[] FileKeys = ["header", "tasks"];
    internal static readonly string[] HeaderKeys = ["experiment", "run", "work_dir", "timeout", "grace_period"];

    internal static readonly string[] TaskKeys =
    [
        "executor", "command", "shell", "parameters", "environment", "timeout", "grace_period", "cancel_signal", "stdin",
        "work_dir", "result", "resources", "tasklets", "cpu_affinity", "description",
    ];

    internal static readonly string[] EnvironmentKeys = ["source", "set", "prepend", "append", "unset"];
    internal static readonly string[] TaskletListKeys = ["before", "after"];
    internal static readonly string[] TaskletKeys = ["name", "use", "args", "command", "timeout", "on_failure", "summary", "result"];

    /// <summary>Reads and checks a task file.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="InputException">The file cannot be read.</exception>
    /// <exception cref="ConfigurationException">The file is not a valid task file.</exception>
    public static TaskFile Load(string path) => Parse(path, YamlNodes.ReadFile(path, "task file"));

    /// <summary>Parses a task file's text.</summary>
    /// <param name="path">The file's path, for messages.</param>
    /// <param name="text">The YAML text.</param>
    public static TaskFile Parse(string path, string text)
    {
        var (yaml, root) = YamlNodes.Load(path, text);
        if (root is null || yaml.IsNull(root))
        {
            throw new ConfigurationException(
                new SourceLocation(path, 1, 1), "the task file is empty", "write a 'tasks:' map of task names to definitions, e.g. tasks: { Hello: { command: [echo, hello] } }");
        }

        var map = yaml.Mapping(root, "a task file");
        TaskHeader header = new();
        List<TaskDefinition>? tasks = null;
        foreach (var (key, _, value) in yaml.Entries(map, "the task file", FileKeys))
        {
            if (key == "header")
            {
                header = ReadHeader(yaml, value);
            }
            else
            {
                tasks = ReadTasks(yaml, value);
            }
        }

        if (tasks is null || tasks.Count == 0)
        {
            throw yaml.Error(root, "the task file defines no task", "add a 'tasks:' map of task names to definitions, e.g. tasks: { Hello: { command: [echo, hello] } }");
        }

        return new TaskFile(Path.GetFullPath(path), header, tasks);
    }

    private static TaskHeader ReadHeader(YamlNodes yaml, YamlNode node)
    {
        var header = new TaskHeader();
        if (yaml.IsNull(node))
        {
            return header;
        }

        var values = new Dictionary<string, TemplateText>();
        foreach (var (key, _, value) in yaml.Entries(yaml.Mapping(node, "header"), "header", HeaderKeys))
        {
            var text = new TemplateText(yaml.Scalar(value, $"header '{key}'"), yaml.At(value));
            values[key] = text;
            header = key switch
            {
                "experiment" => header with { Experiment = text.Text },
                "run" => header with { Run = text.Text },
                "work_dir" => header with { WorkDirectory = text },
                "timeout" => header with { Timeout = yaml.Duration(value, "header 'timeout'") },
                _ => header with { GracePeriod = yaml.Duration(value, "header 'grace_period'") },
            };
        }

        return header with { Values = values };
    }

    private static List<TaskDefinition> ReadTasks(YamlNodes yaml, YamlNode node)
    {
        var tasks = new List<TaskDefinition>();
        foreach (var (name, keyNode, value) in yaml.Entries(yaml.Mapping(node, "tasks"), "tasks"))
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw yaml.Error(keyNode, "a task needs a name", "write a name before the task's ':', e.g. Hello:");
            }

            tasks.Add(ReadTask(yaml, name, keyNode, value));
        }

        return tasks;
    }

    private static TaskDefinition ReadTask(YamlNodes yaml, string name, YamlNode keyNode, YamlNode node)
    {
        var what = $"task '{name}'";
        var map = yaml.Mapping(node, what);
        IReadOnlyList<TemplateText>? command = null;
        var task = new TaskDefinition { Name = name, Location = yaml.At(keyNode), Command = [] };
        foreach (var (key, _, value) in yaml.Entries(map, what, TaskKeys))
        {
            var field = $"'{key}' of {what}";
            switch (key)
            {
                case "executor":
                    task = task with { Executor = yaml.Scalar(value, field), ExecutorLocation = yaml.At(value) };
                    break;
                case "command":
                    if (value is YamlScalarNode)
                    {
                        throw yaml.Error(value, $"{field} must be a list, not a single value", "write the program, then one item per argument, e.g. [python3, task.py, --run, \"{{ header.run }}\"]");
                    }

                    if (command is not null)
                    {
                        throw yaml.Error(value, $"{what} has both 'command' and 'shell'", "keep one: 'command' runs a program with no shell, 'shell' a script through /bin/sh");
                    }

                    command = Texts(yaml, value, field);
                    break;
                case "shell":
                    if (command is not null)
                    {
                        throw yaml.Error(value, $"{what} has both 'command' and 'shell'", "keep one: 'command' runs a program with no shell, 'shell' a script through /bin/sh");
                    }

                    var script = Text(yaml, value, field);
                    command = [script with { Text = "/bin/sh" }, script with { Text = "-c" }, script];
                    task = task with { Shell = true };
                    break;
                case "parameters":
                    task = task with { Parameters = TextPairs(yaml, value, field) };
                    break;
                case "environment":
                    task = task with { Environment = ReadEnvironment(yaml, value, field) };
                    break;
                case "timeout":
                    task = task with { Timeout = yaml.Duration(value, field) };
                    break;
                case "grace_period":
                    task = task with { GracePeriod = yaml.Duration(value, field) };
                    break;
                case "cancel_signal":
                    task = task with { CancelSignal = Signals.Parse(yaml, value, field) };
                    break;
                case "stdin":
                    task = task with { StandardInput = ReadStdin(yaml, value, field) };
                    break;
                case "work_dir":
                    task = task with { WorkingDirectory = Text(yaml, value, field) };
                    break;
                case "result":
                    task = task with { Result = Text(yaml, value, field) };
                    break;
                case "resources":
                    task = task with { Resources = TextPairs(yaml, value, field) };
                    foreach (var (resource, text) in task.Resources)
                    {
                        if (!text.Text.Contains("{{", StringComparison.Ordinal))
                        {
                            ResourceValues.Check(resource, text);
                        }
                    }

                    break;
                case "tasklets":
                    task = ReadTasklets(yaml, value, what, task);
                    break;
                case "cpu_affinity":
                    task = task with { CpuAffinity = yaml.Boolean(value, field) };
                    break;
                default:
                    task = task with { Description = yaml.Scalar(value, field) };
                    break;
            }
        }

        if (command is null || command.Count == 0)
        {
            throw yaml.Error(keyNode, $"{what} has no 'command'", "add 'command:' with the program and its arguments as a list, e.g. command: [python3, task.py] (or 'shell:' with a script)");
        }

        if (string.IsNullOrWhiteSpace(command[0].Text))
        {
            throw new ConfigurationException(command[0].Location, $"the program of {what} is empty", "name the program first in 'command', e.g. [python3, task.py]");
        }

        return task with { Command = command };
    }

    private static StandardInputMode ReadStdin(YamlNodes yaml, YamlNode value, string field) =>
        yaml.Scalar(value, field) switch
        {
            "closed" => StandardInputMode.Closed,
            "inherit" => StandardInputMode.Inherit,
            var other => throw yaml.Error(value, $"{field} must be 'closed' or 'inherit', not '{other}'", "write closed (the default) or inherit"),
        };

    private static EnvironmentSpec ReadEnvironment(YamlNodes yaml, YamlNode node, string what)
    {
        var spec = new EnvironmentSpec();
        if (yaml.IsNull(node))
        {
            return spec;
        }

        foreach (var (key, _, value) in yaml.Entries(yaml.Mapping(node, what), what, EnvironmentKeys))
        {
            var field = $"'{key}' of the environment of {what}";
            spec = key switch
            {
                "source" => spec with { Source = Text(yaml, value, field) },
                "set" => spec with { Set = TextPairs(yaml, value, field) },
                "prepend" => spec with { Prepend = TextPairs(yaml, value, field) },
                "append" => spec with { Append = TextPairs(yaml, value, field) },
                _ => spec with { Unset = yaml.TextList(value, field).Select(v => v.Value).ToList() },
            };
        }

        return spec;
    }

    private static TaskDefinition ReadTasklets(YamlNodes yaml, YamlNode node, string what, TaskDefinition task)
    {
        if (yaml.IsNull(node))
        {
            return task;
        }

        foreach (var (key, _, value) in yaml.Entries(yaml.Mapping(node, $"the tasklets of {what}"), $"the tasklets of {what}", TaskletListKeys))
        {
            var list = yaml.IsNull(value)
                ? []
                : yaml.Sequence(value, $"'{key}' tasklets of {what}").Children
                    .Select((item, i) => ReadTasklet(yaml, item, $"{key} tasklet {i + 1} of {what}")).ToList();
            task = key == "before" ? task with { Before = list } : task with { After = list };
        }

        return task;
    }

    private static TaskletSpec ReadTasklet(YamlNodes yaml, YamlNode node, string what)
    {
        var map = yaml.Mapping(node, what);
        string? name = null;
        string? use = null;
        YamlNode? summaryNode = null;
        IReadOnlyList<TemplateText> arguments = [];
        var hasCommand = false;
        var spec = new TaskletSpec { Name = string.Empty, Location = yaml.At(node) };
        foreach (var (key, _, value) in yaml.Entries(map, what, TaskletKeys))
        {
            var field = $"'{key}' of {what}";
            switch (key)
            {
                case "name":
                    name = yaml.Scalar(value, field);
                    break;
                case "use":
                    use = yaml.Scalar(value, field);
                    break;
                case "args":
                case "command":
                    hasCommand |= key == "command";
                    arguments = Texts(yaml, value, field);
                    break;
                case "timeout":
                    spec = spec with { Timeout = yaml.Duration(value, field) };
                    break;
                case "on_failure":
                    spec = spec with
                    {
                        OnFailure = yaml.Scalar(value, field) switch
                        {
                            "continue" => TaskletFailurePolicy.Continue,
                            "fail" => TaskletFailurePolicy.Fail,
                            var other => throw yaml.Error(value, $"{field} must be 'continue' or 'fail', not '{other}'", "write continue or fail"),
                        },
                    };
                    break;
                case "summary":
                    summaryNode = value;
                    break;
                default:
                    spec = spec with { AsResult = yaml.Boolean(value, field) };
                    break;
            }
        }

        if ((use is null) == !hasCommand)
        {
            throw yaml.Error(node, $"{what} has {(use is null ? "neither 'command' nor 'use'" : "both 'command' and 'use'")}", "give either 'command: [program, args...]' or 'use: TASKLET' (with optional 'args')");
        }

        if (use is null && arguments.Count == 0)
        {
            throw yaml.Error(node, $"{what} has an empty command", "name the program first, e.g. command: [test, -s, out.h5]");
        }

        name ??= use ?? Path.GetFileName(arguments[0].Text);
        string? summaryKey = null;
        var keyGiven = false;
        if (summaryNode is not null)
        {
            var text = yaml.Scalar(summaryNode, $"'summary' of {what}");
            (summaryKey, keyGiven) = text.ToLowerInvariant() switch
            {
                "true" or "yes" => (name, false),
                "false" or "no" => (null, false),
                _ => (text, true),
            };
        }

        return spec with { Name = name, Use = use, Arguments = arguments, SummaryKey = summaryKey, SummaryKeyGiven = keyGiven };
    }

    private static TemplateText Text(YamlNodes yaml, YamlNode node, string what) =>
        new(yaml.Scalar(node, what), yaml.At(node));

    private static List<TemplateText> Texts(YamlNodes yaml, YamlNode node, string what) =>
        yaml.TextList(node, what).Select(v => new TemplateText(v.Value, yaml.At(v.Node))).ToList();

    private static List<KeyValuePair<string, TemplateText>> TextPairs(YamlNodes yaml, YamlNode node, string what) =>
        yaml.TextMap(node, what).Select(p => KeyValuePair.Create(p.Key, new TemplateText(p.Value, yaml.At(p.Node)))).ToList();
}
