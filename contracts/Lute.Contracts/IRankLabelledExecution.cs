namespace Lute.Contracts;

/// <summary>The format of the rank label a launcher writes in front of each line of a task's output (since contracts 1.2).</summary>
public enum RankLabelFormat
{
    /// <summary>No labels: lines are read as they are.</summary>
    None = 0,

    /// <summary>Open MPI's <c>mpirun --tag-output</c>: <c>[1,3]&lt;stdout&gt;:</c>.</summary>
    OpenMpi = 1,

    /// <summary>MPICH's <c>mpiexec -prepend-rank</c>: <c>[3] </c>.</summary>
    Mpich = 2,

    /// <summary>SLURM's <c>srun --label</c>: <c>3: </c>.</summary>
    Srun = 3,
}

/// <summary>
/// An execution whose output lines carry the rank that wrote them, in a launcher's format (since contracts 1.2). The
/// runner removes the label and logs the line with its rank; lines without a label (the launcher's own) keep no rank.
/// </summary>
public interface IRankLabelledExecution : IExecution
{
    /// <summary>The format of the labels in <see cref="IExecution.StandardOutput"/> and <see cref="IExecution.StandardError"/>.</summary>
    RankLabelFormat RankLabels { get; }
}
