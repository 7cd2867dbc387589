using System.CommandLine;
using Lute.Cli.Completion;
using Lute.Cli.Json;
using Lute.Host.Configuration;
using Lute.Host.Running;
using Lute.Host.Submit;

namespace Lute.Cli.Commands;

/// <summary><c>lute submit FILE [TASK]</c>: submits a batch job that runs the task with <c>lute run</c> inside its allocation.</summary>
internal static class SubmitCommand
{
    private static readonly TimeSpan SbatchLimit = TimeSpan.FromSeconds(60);

    public static Command Create()
    {
        var file = new Argument<string>("task-file") { Description = "the task file (YAML)" };
        var task = new Argument<string?>("task") { Description = "the task (may be left out when the file has one task)", Arity = ArgumentArity.ZeroOrOne };
        CompletionSources.TaskNames(task, file);
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "print the batch script and submit nothing" };
        var wait = new Option<bool>("--wait", "-w") { Description = "wait until the job has ended; exit with lute run's exit code" };
        var options = new Option<string[]>("--sbatch") { Description = "an extra sbatch option, e.g. --sbatch=--partition=debug (repeatable)", AllowMultipleArgumentsPerToken = false };
        var json = CliJson.Option();
        var command = new Command("submit", "Submits a SLURM batch job (sbatch) that runs the task with lute run inside the allocation, with the task's resources")
        {
            file, task, dryRun, wait, options, json,
        };
        command.SetAction((parsed, cancellationToken) => SubmitAsync(
            new Submission(parsed.GetValue(file)!, parsed.GetValue(task), parsed.GetValue(dryRun), parsed.GetValue(wait), parsed.GetValue(options) ?? [], parsed.GetValue(json)), parsed, cancellationToken));
        return command;
    }

    private static async Task<int> SubmitAsync(Submission submission, ParseResult parsed, CancellationToken cancellationToken)
    {
        var (path, taskName, dryRun, wait, extra, json) = submission;
        var config = LuteCommandLine.LoadConfiguration(parsed);
        var taskFile = TaskFileLoader.Load(path);
        taskName ??= taskFile.Tasks.Count == 1
            ? taskFile.Tasks[0].Name
            : throw new InputException($"{path} defines {taskFile.Tasks.Count} tasks; name one: lute submit {path} TASK ({string.Join(", ", taskFile.Tasks.Select(t => t.Name))})");
        var lute = System.Environment.ProcessPath ?? throw new InputException("cannot tell where the lute program is");
        var script = SbatchScript.Render(taskFile, taskName, config, lute, extra);
        if (dryRun)
        {
            if (json)
            {
                CliJson.Print("submit", writer => SubmitJson.Write(writer, script, job: null, waited: null));
                return ExitCodes.Completed;
            }

            await Console.Out.WriteAsync(script.Text).ConfigureAwait(false);
            return ExitCodes.Completed;
        }

        Directory.CreateDirectory(config.LogDirectory);
        string[] arguments = wait ? ["--parsable", "--wait"] : ["--parsable"];
        ExternalProgram.Outcome outcome;
        try
        {
            outcome = await ExternalProgram.RunAsync("sbatch", arguments, script.Text, wait ? null : SbatchLimit, cancellationToken).ConfigureAwait(false);
        }
        catch (ExternalProgramException e)
        {
            await Console.Error.WriteLineAsync($"lute: {e.Message}").ConfigureAwait(false);
            return ExitCodes.LaunchFailed;
        }

        var job = outcome.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()?.Split(';')[0];
        if (job is null || !job.All(char.IsAsciiDigit))
        {
            await Console.Error.WriteLineAsync($"lute: sbatch refused the job (exit code {outcome.ExitCode}): {outcome.Errors.Trim()}").ConfigureAwait(false);
            return ExitCodes.LaunchFailed;
        }

        if (json)
        {
            CliJson.Print("submit", writer => SubmitJson.Write(writer, script, job, wait ? outcome.ExitCode : null));
            return wait ? outcome.ExitCode : ExitCodes.Completed;
        }

        Console.Out.WriteLine($"Submitted job {job} ({script.JobName}); output in {script.OutputPath.Replace("%j", job, StringComparison.Ordinal)}; lute status {job}");
        if (wait)
        {
            Console.Out.WriteLine($"Job {job} ended; lute run exited with {outcome.ExitCode}");
            return outcome.ExitCode;
        }

        return ExitCodes.Completed;
    }

    private sealed record Submission(string Path, string? TaskName, bool DryRun, bool Wait, string[] Extra, bool Json);
}
