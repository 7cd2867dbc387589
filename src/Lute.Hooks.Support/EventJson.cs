using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lute.Contracts;

namespace Lute.Hooks.Support;

/// <summary>Describes runs and events as JSON objects, the same way for every pack (snake_case keys).</summary>
public static class EventJson
{
    /// <summary>The run: id, task, executor, experiment, experiment run, host, work directory and parameters.</summary>
    /// <param name="run">The run.</param>
    public static JsonObject Run(RunInfo run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var parameters = new JsonObject();
        foreach (var (key, value) in run.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            parameters[key] = value;
        }

        return new JsonObject
        {
            ["id"] = run.RunId,
            ["task"] = run.TaskName,
            ["executor"] = run.Executor,
            ["experiment"] = run.Experiment,
            ["experiment_run"] = run.ExperimentRun,
            ["host"] = run.Host,
            ["work_dir"] = run.WorkDirectory,
            ["parameters"] = parameters,
        };
    }

    /// <summary>What the event carries, by kind: a log line's text, a message's signal and contents, an outcome's status, summary and payload...</summary>
    /// <param name="taskEvent">The event.</param>
    public static JsonObject Data(TaskEvent taskEvent) => taskEvent switch
    {
        RunStartedEvent => [],
        TaskLaunchedEvent launched => new JsonObject { ["pid"] = launched.ProcessId, ["details"] = Map(launched.Details) },
        LogLineEvent line => new JsonObject { ["source"] = Source(line.Source), ["text"] = line.Text, ["rank"] = line.Rank },
        TaskMessageEvent { Message: var message } => new JsonObject
        {
            ["signal"] = message.Signal,
            ["contents"] = Node(message.Contents),
            ["rank"] = message.Rank,
            ["host"] = message.Host,
        },
        TaskStatusEvent status => new JsonObject { ["status"] = Status(status.Status), ["reason"] = status.Reason },
        ProcessExitedEvent exited => new JsonObject
        {
            ["exit_code"] = exited.Exit.ExitCode,
            ["signal"] = exited.Exit.Signal,
            ["engine_error"] = exited.Exit.EngineError,
        },
        RunEndedEvent { Result: var result } => Result(result),
        _ => [],
    };

    /// <summary>A run's outcome: status, reason, exit code, signal, times, summary, payload and report path.</summary>
    /// <param name="result">The outcome.</param>
    public static JsonObject Result(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new JsonObject
        {
            ["status"] = Status(result.Status),
            ["reason"] = result.Reason,
            ["exit_code"] = result.ExitCode,
            ["signal"] = result.Signal,
            ["launch_failed"] = result.LaunchFailed,
            ["started_at"] = result.StartedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            ["ended_at"] = result.EndedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            ["duration_seconds"] = Math.Round(result.Duration.TotalSeconds, 3),
            ["summary"] = Map(result.Summary),
            ["payload"] = result.Payload is { } payload ? Node(payload) : null,
            ["report_path"] = result.ReportPath,
        };
    }

    /// <summary>A status as LUTE and facility services write it: <c>COMPLETED</c>, <c>TIMEDOUT</c>...</summary>
    /// <param name="status">The status.</param>
    public static string Status(RunStatus status) => status.ToString().ToUpperInvariant();

    private static string Source(LogSource source) => source switch
    {
        LogSource.StandardOutput => "stdout",
        LogSource.StandardError => "stderr",
        LogSource.Message => "message",
        _ => "runner",
    };

    private static JsonObject Map(IReadOnlyDictionary<string, string> values)
    {
        var map = new JsonObject();
        foreach (var (key, value) in values.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            map[key] = value;
        }

        return map;
    }

    private static JsonNode? Node(JsonElement element) =>
        element.ValueKind == JsonValueKind.Undefined ? null : JsonNode.Parse(element.GetRawText());
}
