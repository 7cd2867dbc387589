using Lute.Host.Running;

namespace Lute.Cli.Json;

/// <summary><c>lute run --json</c>: the run's outcome, where it was recorded, and the exit code.</summary>
internal static class OutcomeJson
{
    public static void Print(RunOutcome outcome) => CliJson.Print("run", writer =>
    {
        var result = outcome.Result;
        writer.WriteStartObject("run");
        if (outcome.Recorded || result.Run.RunId != 0)
        {
            writer.WriteNumber("id", result.Run.RunId);
        }
        else
        {
            writer.WriteNull("id");
        }

        writer.WriteString("task", result.Run.TaskName);
        writer.WriteString("executor", result.Run.Executor);
        writer.WriteString("status", result.Status.ToString().ToUpperInvariant());
        CliJson.Number(writer, "exit_code", result.ExitCode);
        CliJson.Number(writer, "signal", result.Signal);
        CliJson.Text(writer, "reason", result.Reason);
        writer.WriteBoolean("launch_failed", result.LaunchFailed);
        CliJson.Time(writer, "started_at", result.StartedAt);
        CliJson.Time(writer, "ended_at", result.EndedAt);
        writer.WriteNumber("duration_seconds", Math.Round(result.Duration.TotalSeconds, 6));
        CliJson.StringMap(writer, "summary", result.Summary);
        CliJson.Value(writer, "payload", result.Payload);

        CliJson.Text(writer, "report", result.ReportPath);
        writer.WriteEndObject();
        writer.WriteBoolean("recorded", outcome.Recorded);
        writer.WriteString("store", outcome.StorePath);
        CliJson.Text(writer, "store_problem", outcome.StoreProblem);
        CliJson.Text(writer, "log", outcome.LogProblem is null ? outcome.LogPath : null);
        CliJson.Text(writer, "log_problem", outcome.LogProblem);
        writer.WriteNumber("exit_code", outcome.ExitCode);
    });
}
