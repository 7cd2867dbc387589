using System.Text.Json;
using Lute.Host.Submit;

namespace Lute.Cli.Json;

/// <summary><c>lute submit --json</c>: the job and where its output goes (the script itself with <c>--dry-run</c>).</summary>
internal static class SubmitJson
{
    public static void Write(Utf8JsonWriter writer, SbatchScript script, string? job, int? waited)
    {
        CliJson.Text(writer, "job", job);
        writer.WriteString("job_name", script.JobName);
        writer.WriteString("output", job is null ? script.OutputPath : script.OutputPath.Replace("%j", job, StringComparison.Ordinal));
        CliJson.Number(writer, "exit_code", waited);
        if (job is null)
        {
            writer.WriteString("script", script.Text);
        }
    }
}
