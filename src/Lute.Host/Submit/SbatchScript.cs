using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Lute.Host.Configuration;
using Lute.Host.Environment;
using Lute.Host.Running;

namespace Lute.Host.Submit;

/// <summary>
/// The batch script <c>lute submit</c> hands to <c>sbatch</c>: the task's resources as <c>#SBATCH</c> options (a
/// resource key is the sbatch option of the same name, <c>args</c> is free-form), and one line that runs
/// <c>lute run</c> for the task inside the allocation, with the same configuration.
/// </summary>
public sealed partial class SbatchScript
{
    private SbatchScript(string text, string jobName, string outputPath)
    {
        Text = text;
        JobName = jobName;
        OutputPath = outputPath;
    }

    /// <summary>The script.</summary>
    public string Text { get; }

    /// <summary>The job's name.</summary>
    public string JobName { get; }

    /// <summary>Where SLURM writes the job's output (<c>%j</c> is the job id).</summary>
    public string OutputPath { get; }

    /// <summary>Renders the script for a task of a task file.</summary>
    /// <param name="file">The task file.</param>
    /// <param name="taskName">The task.</param>
    /// <param name="config">The host configuration <c>lute run</c> will use inside the job.</param>
    /// <param name="lute">The <c>lute</c> program to run inside the job (the same one, on a shared file system).</param>
    /// <param name="extraOptions">More sbatch options, each one argument (for example <c>--partition=debug</c>).</param>
    /// <exception cref="InputException">A resource cannot be an sbatch option.</exception>
    public static SbatchScript Render(TaskFile file, string taskName, HostConfiguration config, string lute, IReadOnlyList<string> extraOptions)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(extraOptions);
        var task = file.Find(taskName);
        var renderer = TaskRunner.Renderer(file, task, task.Executor ?? config.DefaultExecutor, TaskEnvironment.Current());
        var options = new List<string>();
        var jobName = task.Name;
        foreach (var (key, template) in task.Resources)
        {
            var value = renderer.Render(template).Trim();
            if (key == "args")
            {
                options.AddRange(value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
                continue;
            }

            if (!OptionName().IsMatch(key) || value.Length == 0 || value.Contains('\n', StringComparison.Ordinal))
            {
                throw new InputException($"{file.Path}: resource '{key}: {value}' of task {task.Name} cannot be an sbatch option (--{key}=VALUE)");
            }

            if (key == "job-name")
            {
                jobName = value;
            }

            options.Add($"--{key}={value}");
        }

        if (!task.Resources.Any(r => r.Key == "job-name"))
        {
            options.Add($"--job-name={jobName}");
        }

        var output = Path.Combine(config.LogDirectory, "slurm-%j.out");
        options.Add($"--output={output}");
        options.Add($"--chdir={Directory.GetCurrentDirectory()}");
        options.AddRange(extraOptions);

        var text = new StringBuilder();
        text.Append("#!/bin/bash\n");
        text.Append(CultureInfo.InvariantCulture, $"# Written by lute submit for task {task.Name} of {file.Path}.\n");
        foreach (var option in options)
        {
            if (option.Contains('\n', StringComparison.Ordinal))
            {
                throw new InputException($"sbatch option '{option}' spans lines");
            }

            text.Append(CultureInfo.InvariantCulture, $"#SBATCH {option}\n");
        }

        var command = new List<string> { lute };
        if (config.SourcePath is { } source)
        {
            command.AddRange(["--config", source]);
        }

        command.AddRange(["run", file.Path, task.Name]);
        text.Append("exec ").Append(string.Join(' ', command.Select(Quote))).Append('\n');
        return new SbatchScript(text.ToString(), jobName, output);
    }

    /// <summary>Quotes a word for bash: single quotes, with embedded single quotes closed and escaped.</summary>
    internal static string Quote(string word) => $"'{word.Replace("'", "'\\''", StringComparison.Ordinal)}'";

    [GeneratedRegex("^[a-z][a-z0-9-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex OptionName();
}
