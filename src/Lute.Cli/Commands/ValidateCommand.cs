using System.CommandLine;
using Lute.Cli.Completion;
using Lute.Contracts;
using Lute.Host.Configuration;
using Lute.Host.Plugins;
using Lute.Host.Running;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lute.Cli.Commands;

/// <summary>
/// <c>lute validate FILE [TASK]</c>: prepares each task of a task file as <c>lute run</c> would (templates rendered,
/// executor, hooks with their settings and tasklets found, environment built) and launches nothing, records nothing.
/// </summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("task-file") { Description = "the task file (YAML)" };
        var task = new Argument<string?>("task") { Description = "the task to check (default: every task of the file)", Arity = ArgumentArity.ZeroOrOne };
        CompletionSources.TaskNames(task, file);
        var command = new Command("validate", "Checks a task file without running it: templates, executor, hooks and their settings, tasklets, environment; exit code 2 names the first problem")
        {
            file, task,
        };
        command.SetAction((parsed, cancellationToken) => ValidateAsync(parsed.GetValue(file)!, parsed.GetValue(task), parsed, cancellationToken));
        return command;
    }

    private static async Task<int> ValidateAsync(string path, string? taskName, ParseResult parsed, CancellationToken cancellationToken)
    {
        var config = LuteCommandLine.LoadConfiguration(parsed);
        var taskFile = TaskFileLoader.Load(path);
        var names = taskName is null ? taskFile.Tasks.Select(t => t.Name).ToList() : [taskFile.Find(taskName).Name];
        foreach (var name in names)
        {
            using var plugins = PluginHost.Load(config, NullLoggerFactory.Instance, TaskRunner.ComponentsUsed(config, taskFile, name));
            var prepared = await new RunPreparer(config, plugins).PrepareAsync(new RunRequest(taskFile, name), cancellationToken).ConfigureAwait(false);
            try
            {
                var hooks = prepared.Hooks.Count == 0 ? "no hooks" : "hooks " + string.Join(", ", prepared.Hooks.Select(h => h.Binding.Use));
                var tasklets = prepared.Before.Count + prepared.After.Count;
                await Console.Out.WriteLineAsync($"{name}: ok (executor {prepared.ExecutorName}, {hooks}, {tasklets} tasklet(s), command {prepared.Command[0]})").ConfigureAwait(false);
            }
            finally
            {
                foreach (var (_, component, _) in prepared.Hooks)
                {
                    (component as IDisposable)?.Dispose();
                }
            }
        }

        await Console.Out.WriteLineAsync($"{path}: {names.Count} task(s) valid (contracts {ContractVersion.Text})").ConfigureAwait(false);
        return ExitCodes.Completed;
    }
}
