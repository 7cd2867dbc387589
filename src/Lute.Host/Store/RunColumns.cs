namespace Lute.Host.Store;

/// <summary>A column of the <c>runs</c> table, as the migrations create it.</summary>
/// <param name="Name">The column's name.</param>
/// <param name="Type">Its declared SQLite type.</param>
/// <param name="NotNull">Whether it is declared NOT NULL.</param>
internal sealed record RunColumn(string Name, string Type, bool NotNull = false)
{
    /// <summary>The statement parameter that carries the column's value.</summary>
    public string Parameter => "$" + Name;
}

/// <summary>
/// The <c>runs</c> table's columns, in the order the migrations create them: what the recorder selects and reads (by
/// name), and what its writes name. The migrations are the schema's history and stay as they are; a test holds this
/// list and the migrated table (<c>PRAGMA table_info(runs)</c>) to each other.
/// </summary>
internal static class RunColumns
{
    public static readonly RunColumn Id = new("id", "INTEGER");
    public static readonly RunColumn Task = new("task", "TEXT", NotNull: true);
    public static readonly RunColumn TaskFile = new("task_file", "TEXT");
    public static readonly RunColumn Executor = new("executor", "TEXT", NotNull: true);
    public static readonly RunColumn Experiment = new("experiment", "TEXT");
    public static readonly RunColumn ExperimentRun = new("experiment_run", "TEXT");
    public static readonly RunColumn Status = new("status", "TEXT", NotNull: true);
    public static readonly RunColumn ExitCode = new("exit_code", "INTEGER");
    public static readonly RunColumn Signal = new("signal", "INTEGER");
    public static readonly RunColumn Reason = new("reason", "TEXT");
    public static readonly RunColumn LaunchFailed = new("launch_failed", "INTEGER", NotNull: true);
    public static readonly RunColumn StartedAt = new("started_at", "TEXT", NotNull: true);
    public static readonly RunColumn EndedAt = new("ended_at", "TEXT");
    public static readonly RunColumn Host = new("host", "TEXT", NotNull: true);
    public static readonly RunColumn RunnerPid = new("runner_pid", "INTEGER", NotNull: true);
    public static readonly RunColumn TaskPid = new("task_pid", "INTEGER");
    public static readonly RunColumn Command = new("command", "TEXT", NotNull: true);
    public static readonly RunColumn Parameters = new("parameters", "TEXT", NotNull: true);
    public static readonly RunColumn Environment = new("environment", "TEXT", NotNull: true);
    public static readonly RunColumn Summary = new("summary", "TEXT");
    public static readonly RunColumn Payload = new("payload", "TEXT");
    public static readonly RunColumn Metadata = new("metadata", "TEXT");
    public static readonly RunColumn Details = new("details", "TEXT");
    public static readonly RunColumn Communicators = new("communicators", "TEXT");
    public static readonly RunColumn LogPath = new("log_path", "TEXT");
    public static readonly RunColumn WorkDirectory = new("work_dir", "TEXT");
    public static readonly RunColumn ReportPath = new("report_path", "TEXT");
    public static readonly RunColumn Undelivered = new("undelivered", "TEXT");
    public static readonly RunColumn HookErrors = new("hook_errors", "TEXT");
    public static readonly RunColumn TaskFullName = new("task_full", "TEXT");
    public static readonly RunColumn Description = new("description", "TEXT");
    public static readonly RunColumn LastSeenAt = new("last_seen_at", "TEXT");

    /// <summary>Every column, in the schema's order.</summary>
    public static IReadOnlyList<RunColumn> All { get; } =
    [
        Id, Task, TaskFile, Executor, Experiment, ExperimentRun, Status, ExitCode, Signal, Reason, LaunchFailed, StartedAt,
        EndedAt, Host, RunnerPid, TaskPid, Command, Parameters, Environment, Summary, Payload, Metadata, Details,
        Communicators, LogPath, WorkDirectory, ReportPath, Undelivered, HookErrors, TaskFullName, Description, LastSeenAt,
    ];

    /// <summary>The select list that reads every column.</summary>
    public static string SelectList { get; } = string.Join(", ", All.Select(c => c.Name));
}
