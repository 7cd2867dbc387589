namespace Lute.Contracts;

/// <summary>The status of a run: Pending, then Running (and Stopped), then one final status.</summary>
public enum RunStatus
{
    /// <summary>Recorded, not launched yet.</summary>
    Pending,

    /// <summary>The task's process is running.</summary>
    Running,

    /// <summary>The task's process is stopped and can be continued.</summary>
    Stopped,

    /// <summary>Final: the task succeeded.</summary>
    Completed,

    /// <summary>Final: the task or its launch failed.</summary>
    Failed,

    /// <summary>Final: the run was cancelled.</summary>
    Cancelled,

    /// <summary>Final: the task exceeded its time limit.</summary>
    TimedOut,

    /// <summary>Final: the runner died before it could record an outcome.</summary>
    Abandoned,
}
