using System.Globalization;
using Lute.Contracts;
using Lute.Host.Protocol;

namespace Lute.Host.Running;

/// <summary>
/// The environment the task is launched with, composed once: the prepared environment without any protocol variable
/// it inherited (a runner started from a task must not hand its own runner's address on), plus what the
/// communicator sessions add, plus the run's id and task name and the folder of the shipped Python client.
/// </summary>
/// <param name="Variables">The task's environment.</param>
/// <param name="Changes">What it changes from the runner's environment, as recorded (a null value: unset).</param>
internal sealed record LaunchEnvironment(IReadOnlyDictionary<string, string> Variables, IReadOnlyDictionary<string, string?> Changes)
{
    /// <summary>Composes the launch environment.</summary>
    /// <param name="prepared">The prepared run.</param>
    /// <param name="sessions">The open communicator sessions, in the order they were opened.</param>
    /// <param name="run">The run.</param>
    /// <param name="traceParent">The task's span as a W3C <c>traceparent</c> when the run is traced, else null.</param>
    public static LaunchEnvironment Compose(PreparedRun prepared, IReadOnlyList<ICommunicatorSession> sessions, RunInfo run, string? traceParent = null)
    {
        var variables = new Dictionary<string, string>(prepared.Environment, StringComparer.Ordinal);
        foreach (var key in ProtocolConstants.Variables)
        {
            variables.Remove(key);
        }

        foreach (var session in sessions)
        {
            foreach (var (key, value) in session.TaskEnvironment)
            {
                variables[key] = value;
            }
        }

        variables[ProtocolConstants.RunIdVariable] = run.RunId.ToString(CultureInfo.InvariantCulture);
        variables[ProtocolConstants.TaskVariable] = run.TaskName;
        variables[ShippedPythonClient.Variable] = ShippedPythonClient.Directory;
        if (traceParent is not null)
        {
            variables[RunTraces.TraceParentVariable] = traceParent;
        }

        var changes = new SortedDictionary<string, string?>(prepared.EnvironmentChanges.ToDictionary(), StringComparer.Ordinal);
        foreach (var key in ProtocolConstants.Variables)
        {
            var value = variables.GetValueOrDefault(key);
            if (value is null && !prepared.BaseEnvironment.ContainsKey(key))
            {
                changes.Remove(key);
            }
            else
            {
                // The token (LUTE_TOKEN opens the runner's port) is masked with every secret when recorded.
                changes[key] = value;
            }
        }

        if (prepared.BaseEnvironment.GetValueOrDefault(ShippedPythonClient.Variable) != ShippedPythonClient.Directory)
        {
            changes[ShippedPythonClient.Variable] = ShippedPythonClient.Directory;
        }

        if (traceParent is not null)
        {
            changes[RunTraces.TraceParentVariable] = traceParent;
        }

        return new LaunchEnvironment(variables, changes);
    }
}
