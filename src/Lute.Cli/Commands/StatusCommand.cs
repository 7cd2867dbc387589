using System.CommandLine;
using System.Globalization;
using Lute.Cli.Completion;
using Lute.Cli.Json;
using Lute.Host.Configuration;
using Lute.Host.Running;
using Lute.Host.Store;

namespace Lute.Cli.Commands;

/// <summary>
/// <c>lute status JOB</c>: a SLURM job's state from the queue (squeue), else from accounting (sacct), else from the job
/// completion log (sacct -c) when accounting is off; and the runs the result store holds for that job.
/// </summary>
internal static class StatusCommand
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    public static Command Create()
    {
        var job = new Argument<string>("job") { Description = "the SLURM job id (lute submit prints it)" };
        CompletionSources.SlurmJobs(job);
        var json = CliJson.Option();
        var command = new Command("status", "Shows a SLURM job's state (squeue, then sacct) and the runs recorded for it") { job, json };
        command.SetAction((parsed, cancellationToken) => StatusAsync(parsed.GetValue(job)!, parsed.GetValue(json), parsed, cancellationToken));
        return command;
    }

    private static async Task<int> StatusAsync(string job, bool json, ParseResult parsed, CancellationToken cancellationToken)
    {
        if (job.Length == 0 || !job.All(c => char.IsAsciiDigit(c) || c is '.' or '_'))
        {
            throw new InputException($"'{job}' is not a SLURM job id (digits, as lute submit prints)");
        }

        var config = LuteCommandLine.LoadConfiguration(parsed);
        var state = await SlurmStateAsync(job, cancellationToken).ConfigureAwait(false);
        if (json)
        {
            return await PrintJsonAsync(job, state, config, cancellationToken).ConfigureAwait(false);
        }

        Console.Out.WriteLine($"job {job}: {state.State}");
        if (state.Note is not null)
        {
            Console.Out.WriteLine($"note: {state.Note}");
        }

        await using var store = await Stores.OpenExistingAsync(config, cancellationToken).ConfigureAwait(false);
        if (store is null)
        {
            Console.Out.WriteLine($"no run of job {job} recorded: {Stores.Missing(config)}");
            return state.Known ? ExitCodes.Completed : ExitCodes.BadInput;
        }

        var runs = await store.ForSlurmJobAsync(job.Split('.')[0], cancellationToken).ConfigureAwait(false);
        foreach (var run in runs)
        {
            var exit = run.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? (run.Signal is { } s ? $"signal {s}" : "-");
            Console.Out.WriteLine($"run {run.Id} ({run.Task}, {run.Executor}): {run.Status.ToString().ToUpperInvariant()}{(run.EndedAt is null ? " (unfinished)" : string.Empty)}, exit {exit}{(run.Reason is null ? string.Empty : $": {run.Reason}")}; lute show {run.Id}");
        }

        if (runs.Count == 0)
        {
            Console.Out.WriteLine($"no run of job {job} in {store.Location} (yet)");
        }

        return state.Known || runs.Count > 0 ? ExitCodes.Completed : ExitCodes.BadInput;
    }

    private static async Task<int> PrintJsonAsync(string job, (string State, string? Note, bool Known) state, HostConfiguration config, CancellationToken cancellationToken)
    {
        await using var store = await Stores.OpenExistingAsync(config, cancellationToken).ConfigureAwait(false);
        var runs = store is null ? [] : await store.ForSlurmJobAsync(job.Split('.')[0], cancellationToken).ConfigureAwait(false);
        CliJson.Print("status", writer =>
        {
            writer.WriteString("job", job);
            writer.WriteString("slurm_state", state.State);
            writer.WriteBoolean("known_to_slurm", state.Known);
            CliJson.Text(writer, "note", state.Note);
            writer.WriteBoolean("store_exists", store is not null);
            writer.WriteStartArray("runs");
            foreach (var run in runs)
            {
                RunJson.Write(writer, run);
            }

            writer.WriteEndArray();
        });
        return state.Known || runs.Count > 0 ? ExitCodes.Completed : ExitCodes.BadInput;
    }

    private static async Task<(string State, string? Note, bool Known)> SlurmStateAsync(string job, CancellationToken cancellationToken)
    {
        try
        {
            var queue = await ExternalProgram.RunAsync("squeue", ["-h", "-j", job, "-o", "%T %M %R"], null, Limit, cancellationToken).ConfigureAwait(false);
            if (queue.Succeeded && queue.Output.Trim() is { Length: > 0 } line)
            {
                var parts = line.Split(' ', 3);
                return ($"{parts[0]} (for {parts.ElementAtOrDefault(1)}; {parts.ElementAtOrDefault(2)}), from squeue", null, true);
            }

            var accounting = await ExternalProgram.RunAsync("sacct", ["-n", "-X", "-P", "-j", job, "-o", "State,ExitCode,Elapsed"], null, Limit, cancellationToken).ConfigureAwait(false);
            if (accounting.Succeeded && accounting.Output.Trim() is { Length: > 0 } accounted)
            {
                return (Describe(accounted, "sacct"), null, true);
            }

            var note = accounting.Succeeded ? null : "SLURM accounting is off on this cluster; the state comes from the job completion log";
            var completion = await ExternalProgram.RunAsync("sacct", ["-c", "-n", "-P", "-j", job, "-o", "State,ExitCode,Elapsed"], null, Limit, cancellationToken).ConfigureAwait(false);
            if (completion.Succeeded && completion.Output.Trim() is { Length: > 0 } completed)
            {
                return (Describe(completed, "the job completion log"), note, true);
            }

            return ("unknown to squeue and sacct", accounting.Succeeded ? null : $"SLURM accounting is off on this cluster ({OneLine(accounting.Errors)}); only the result store can tell", false);
        }
        catch (ExternalProgramException e)
        {
            return ("unknown", e.Message, false);
        }
    }

    private static string Describe(string output, string source)
    {
        var fields = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Trim().Split('|');
        return $"{fields[0]} (exit {fields.ElementAtOrDefault(1)}, elapsed {fields.ElementAtOrDefault(2)}), from {source}";
    }

    private static string OneLine(string text) => string.Join(' ', text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
