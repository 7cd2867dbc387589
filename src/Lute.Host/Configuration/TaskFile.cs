using Lute.Contracts;

namespace Lute.Host.Configuration;

/// <summary>A text from a configuration file that may hold <c>{{ }}</c> references, with its place for errors.</summary>
/// <param name="Text">The text as written.</param>
/// <param name="Location">Where it was written.</param>
public sealed record TemplateText(string Text, SourceLocation Location);

/// <summary>A task file: a header and the tasks.</summary>
/// <param name="Path">The file's full path.</param>
/// <param name="Header">The header.</param>
/// <param name="Tasks">The tasks, in file order.</param>
public sealed record TaskFile(string Path, TaskHeader Header, IReadOnlyList<TaskDefinition> Tasks)
{
    /// <summary>The task with the given name.</summary>
    /// <exception cref="InputException">No task has that name.</exception>
    public TaskDefinition Find(string name) =>
        Tasks.FirstOrDefault(t => t.Name == name)
        ?? throw new InputException(
            $"task '{name}' is not in {Path}; its tasks are: {string.Join(", ", Tasks.Select(t => t.Name))}");
}

/// <summary>The header of a task file.</summary>
public sealed record TaskHeader
{
    /// <summary>The experiment.</summary>
    public string? Experiment { get; init; }

    /// <summary>The experiment's run, kept as text.</summary>
    public string? Run { get; init; }

    /// <summary>The work directory (may hold references to environment variables).</summary>
    public TemplateText? WorkDirectory { get; init; }

    /// <summary>The default time limit of the file's tasks.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The default grace period between the graceful and the forceful signal.</summary>
    public TimeSpan? GracePeriod { get; init; }

    /// <summary>Every header value as text, for <c>{{ header.NAME }}</c>.</summary>
    public IReadOnlyDictionary<string, TemplateText> Values { get; init; } = new Dictionary<string, TemplateText>();
}

/// <summary>One task of a task file.</summary>
public sealed record TaskDefinition
{
    /// <summary>The task's name.</summary>
    public required string Name { get; init; }

    /// <summary>Where the task is defined.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary>The executor's name, or null for the configured default.</summary>
    public string? Executor { get; init; }

    /// <summary>Where the executor is named, or null when the task does not name one.</summary>
    public SourceLocation? ExecutorLocation { get; init; }

    /// <summary>The program and its arguments (for a <see cref="Shell"/> task: the shell, <c>-c</c> and the script).</summary>
    public required IReadOnlyList<TemplateText> Command { get; init; }

    /// <summary>
    /// True when the task asked for a shell (<c>shell:</c> instead of <c>command:</c>): the last item of
    /// <see cref="Command"/> is a script whose <c>{{ }}</c> values are quoted for the shell.
    /// </summary>
    public bool Shell { get; init; }

    /// <summary>The task's parameters, in file order.</summary>
    public IReadOnlyList<KeyValuePair<string, TemplateText>> Parameters { get; init; } = [];

    /// <summary>Changes to the environment.</summary>
    public EnvironmentSpec Environment { get; init; } = new();

    /// <summary>The time limit, or null for the header's.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The grace period between the graceful and the forceful signal.</summary>
    public TimeSpan? GracePeriod { get; init; }

    /// <summary>The graceful signal sent on cancel and timeout.</summary>
    public TaskSignal CancelSignal { get; init; } = TaskSignal.Terminate;

    /// <summary>What the task reads on standard input.</summary>
    public StandardInputMode StandardInput { get; init; } = StandardInputMode.Closed;

    /// <summary>The working directory, or null for the header's work directory.</summary>
    public TemplateText? WorkingDirectory { get; init; }

    /// <summary>A parameter-like text that becomes the result payload when the task sends none.</summary>
    public TemplateText? Result { get; init; }

    /// <summary>Resource requests for the executor.</summary>
    public IReadOnlyList<KeyValuePair<string, TemplateText>> Resources { get; init; } = [];

    /// <summary>Steps before the launch.</summary>
    public IReadOnlyList<TaskletSpec> Before { get; init; } = [];

    /// <summary>Steps after the task ended.</summary>
    public IReadOnlyList<TaskletSpec> After { get; init; } = [];

    /// <summary>Keep one CPU for the runner and give the task the rest.</summary>
    public bool CpuAffinity { get; init; }

    /// <summary>What the task does, in the author's words (<c>description:</c>); recorded with each run.</summary>
    public string? Description { get; init; }
}

/// <summary>How a task's environment is built from the runner's.</summary>
public sealed record EnvironmentSpec
{
    /// <summary>A shell script to source first; the environment it leaves is taken.</summary>
    public TemplateText? Source { get; init; }

    /// <summary>Variables to set (overwriting).</summary>
    public IReadOnlyList<KeyValuePair<string, TemplateText>> Set { get; init; } = [];

    /// <summary>Values to put in front of PATH-like variables (joined with ':').</summary>
    public IReadOnlyList<KeyValuePair<string, TemplateText>> Prepend { get; init; } = [];

    /// <summary>Values to put at the end of PATH-like variables (joined with ':').</summary>
    public IReadOnlyList<KeyValuePair<string, TemplateText>> Append { get; init; } = [];

    /// <summary>Variables to remove.</summary>
    public IReadOnlyList<string> Unset { get; init; } = [];
}

/// <summary>What to do when a tasklet fails.</summary>
public enum TaskletFailurePolicy
{
    /// <summary>Log the failure and go on.</summary>
    Continue,

    /// <summary>Fail the run.</summary>
    Fail,
}

/// <summary>A tasklet in a task file: a plugin tasklet (<c>use:</c>) or a command.</summary>
public sealed record TaskletSpec
{
    /// <summary>A name for logs and for the summary key.</summary>
    public required string Name { get; init; }

    /// <summary>Where it is defined.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary>The plugin tasklet's name, or null for a command.</summary>
    public string? Use { get; init; }

    /// <summary>The command, for a command tasklet; the arguments, for a plugin tasklet.</summary>
    public IReadOnlyList<TemplateText> Arguments { get; init; } = [];

    /// <summary>The step's time limit.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>What to do when it fails.</summary>
    public TaskletFailurePolicy OnFailure { get; init; } = TaskletFailurePolicy.Continue;

    /// <summary>When set, the output is added to the summary under this key.</summary>
    public string? SummaryKey { get; init; }

    /// <summary>
    /// True when <c>summary:</c> names the key; false for <c>summary: true</c>, where output that is a JSON object
    /// adds each of its members to the summary instead.
    /// </summary>
    public bool SummaryKeyGiven { get; init; }

    /// <summary>When true, the output becomes (part of) the result payload.</summary>
    public bool AsResult { get; init; }
}
