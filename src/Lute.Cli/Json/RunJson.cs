using System.Text.Json;
using Lute.Host.Store;

namespace Lute.Cli.Json;

/// <summary>A recorded run as JSON: every field <c>lute show</c> prints, under stable snake_case names.</summary>
internal static class RunJson
{
    /// <summary>Writes the run as an object (named, or as an array element when <paramref name="name"/> is null).</summary>
    public static void Write(Utf8JsonWriter writer, RunRecord run, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(run);
        if (name is null)
        {
            writer.WriteStartObject();
        }
        else
        {
            writer.WriteStartObject(name);
        }

        WriteFacts(writer, run);
        WriteCollections(writer, run);
        writer.WriteEndObject();
    }

    private static void WriteFacts(Utf8JsonWriter writer, RunRecord run)
    {
        writer.WriteNumber("id", run.Id);
        writer.WriteString("task", run.Task);
        CliJson.Text(writer, "task_as_given", run.TaskFullName);
        CliJson.Text(writer, "description", run.Description);
        CliJson.Text(writer, "task_file", run.TaskFile);
        writer.WriteString("executor", run.Executor);
        CliJson.Text(writer, "experiment", run.Experiment);
        CliJson.Text(writer, "experiment_run", run.ExperimentRun);
        writer.WriteString("status", run.Status.ToString().ToUpperInvariant());
        writer.WriteBoolean("finished", run.EndedAt is not null);
        CliJson.Number(writer, "exit_code", run.ExitCode);
        CliJson.Number(writer, "signal", run.Signal);
        CliJson.Text(writer, "reason", run.Reason);
        writer.WriteBoolean("launch_failed", run.LaunchFailed);
        CliJson.Time(writer, "started_at", run.StartedAt);
        CliJson.Time(writer, "ended_at", run.EndedAt);
        if (run.Duration is { } duration)
        {
            writer.WriteNumber("duration_seconds", Math.Round(duration.TotalSeconds, 6));
        }
        else
        {
            writer.WriteNull("duration_seconds");
        }

        writer.WriteString("host", run.Host);
        writer.WriteNumber("runner_pid", run.RunnerPid);
        CliJson.Number(writer, "task_pid", run.TaskPid);
        CliJson.Text(writer, "work_dir", run.WorkDirectory);
        CliJson.Text(writer, "log", run.LogPath);
        CliJson.Text(writer, "report", run.ReportPath);
    }

    private static void WriteCollections(Utf8JsonWriter writer, RunRecord run)
    {
        CliJson.List(writer, "command", run.Command);
        CliJson.StringMap(writer, "parameters", run.Parameters);
        CliJson.Map(writer, "environment", run.Environment);
        CliJson.List(writer, "communicators", run.Communicators);
        CliJson.StringMap(writer, "details", run.Details);
        CliJson.StringMap(writer, "summary", run.Summary);
        CliJson.Value(writer, "payload", run.Payload);

        writer.WriteStartObject("metadata");
        foreach (var (key, value) in run.Metadata)
        {
            writer.WritePropertyName(key);
            value.WriteTo(writer);
        }

        writer.WriteEndObject();
        writer.WriteStartArray("hook_errors");
        foreach (var error in run.HookErrors)
        {
            writer.WriteStartObject();
            writer.WriteString("hook", error.Hook);
            writer.WriteString("event", error.Event);
            CliJson.Time(writer, "at", error.Timestamp);
            writer.WriteString("error", error.Error);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("undelivered");
        foreach (var post in run.Undelivered)
        {
            writer.WriteStartObject();
            writer.WriteString("hook", post.Hook);
            writer.WriteString("event", post.Event);
            CliJson.Time(writer, "at", post.Timestamp);
            writer.WriteString("method", post.Method);
            writer.WriteString("destination", post.Destination);
            CliJson.Text(writer, "content_type", post.ContentType);
            writer.WriteString("body", post.Body);
            writer.WriteString("error", post.Error);
            writer.WriteNumber("attempts", post.Attempts);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
