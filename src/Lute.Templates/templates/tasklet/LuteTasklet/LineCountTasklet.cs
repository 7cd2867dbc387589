using System.Text.Json;
using Lute.Contracts;

namespace LuteTasklet;

/// <summary>
/// Named in a task file as <c>{ use: lute-component-name, args: [FILE...] }</c> under <c>tasklets.before</c> or
/// <c>tasklets.after</c>: counts the lines of the files (relative paths are relative to the task's working
/// directory). Its output is a JSON object, so <c>summary: true</c> puts <c>files</c> and <c>lines</c> into the run's
/// summary. A missing file fails the tasklet; <c>on_failure: continue</c> lets the run go on.
/// </summary>
[LuteComponent("lute-component-name", Description = "counts the lines of the files it is given")]
internal sealed class LineCountTasklet : ITasklet
{
    /// <inheritdoc />
    public async ValueTask<TaskletOutput> RunAsync(TaskletContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Arguments.Count == 0)
        {
            return new TaskletOutput(false, null, "give the files to count as args: [FILE...]");
        }

        long lines = 0;
        foreach (var argument in context.Arguments)
        {
            var path = Path.Combine(context.Run.WorkDirectory, argument);
            if (!File.Exists(path))
            {
                return new TaskletOutput(false, null, $"no such file: {path}");
            }

            await foreach (var _ in File.ReadLinesAsync(path, cancellationToken).ConfigureAwait(false))
            {
                lines++;
            }
        }

        var counts = new Dictionary<string, string>
        {
            ["files"] = context.Arguments.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["lines"] = lines.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return new TaskletOutput(true, JsonSerializer.Serialize(counts));
    }
}
