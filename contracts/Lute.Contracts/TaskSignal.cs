namespace Lute.Contracts;

/// <summary>Signals the runner asks an execution to deliver to a task.</summary>
public enum TaskSignal
{
    /// <summary>Interrupt (SIGINT).</summary>
    Interrupt,

    /// <summary>Graceful termination (SIGTERM).</summary>
    Terminate,

    /// <summary>Forceful termination (SIGKILL); cannot be caught.</summary>
    Kill,

    /// <summary>Hang-up (SIGHUP).</summary>
    HangUp,

    /// <summary>
    /// Stop the task until it is continued. Executors deliver SIGSTOP: a task that leads its own session ignores
    /// SIGTSTP (the kernel discards it for orphaned process groups).
    /// </summary>
    Stop,

    /// <summary>Continue a stopped task (SIGCONT).</summary>
    Continue,

    /// <summary>User-defined signal 1 (SIGUSR1).</summary>
    User1,

    /// <summary>User-defined signal 2 (SIGUSR2).</summary>
    User2,
}
