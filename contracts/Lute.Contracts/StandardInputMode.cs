namespace Lute.Contracts;

/// <summary>What a task's process reads on standard input.</summary>
public enum StandardInputMode
{
    /// <summary>A pipe that is closed at once: the task reads end-of-file.</summary>
    Closed,

    /// <summary>The runner's own standard input.</summary>
    Inherit,
}
