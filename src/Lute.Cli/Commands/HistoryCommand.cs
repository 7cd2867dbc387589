using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Lute.Cli.Completion;
using Lute.Cli.Json;
using Lute.Host.Configuration;
using Lute.Host.Logging;
using Lute.Host.Running;
using Lute.Host.Store;

namespace Lute.Cli.Commands;

/// <summary><c>lute history</c> and <c>lute show RUN</c>: read the result store.</summary>
internal static class HistoryCommand
{
    public static Command Create()
    {
        var task = new Option<string?>("--task", "-t") { Description = "only this task's runs" };
        var limit = new Option<int>("--limit", "-n") { Description = "how many runs", DefaultValueFactory = _ => 20 };
        var repair = new Option<bool>("--repair")
        {
            Description = "first mark ABANDONED the unfinished runs of this host whose runner is gone (killed, or the machine restarted)",
        };
        var json = CliJson.Option();
        var command = new Command("history", "Lists recent runs from the result store, newest first") { task, limit, repair, json };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var config = LuteCommandLine.LoadConfiguration(parsed);
            var count = parsed.GetValue(limit);
            if (count < 0)
            {
                throw new InputException($"--limit must be 0 or more, not {count}");
            }

            await using var store = await Stores.OpenExistingAsync(config, cancellationToken).ConfigureAwait(false);
            if (parsed.GetValue(json))
            {
                await HistoryJson.PrintAsync(store, config, count, parsed.GetValue(task), parsed.GetValue(repair), cancellationToken).ConfigureAwait(false);
                return 0;
            }

            if (store is null)
            {
                Console.Out.WriteLine($"(no runs: {Stores.Missing(config)})");
                return 0;
            }

            if (parsed.GetValue(repair))
            {
                var marked = await store.MarkAbandonedAsync(Environment.MachineName, RunnerLiveness.IsAlive, DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
                foreach (var run in marked)
                {
                    Console.Out.WriteLine($"run {run.Id} ({run.Task}) marked ABANDONED: {run.Reason}");
                }

                if (marked.Count == 0)
                {
                    Console.Out.WriteLine($"(no unfinished run of {Environment.MachineName} has lost its runner)");
                }
            }

            var runs = count == 0 ? [] : await store.HistoryAsync(count, parsed.GetValue(task), cancellationToken).ConfigureAwait(false);
            var rows = new List<string[]> { new[] { "ID", "TASK", "EXECUTOR", "STATUS", "EXIT", "STARTED (UTC)", "DURATION", "REASON" } };
            rows.AddRange(runs.Select(r => new[]
            {
                r.Id.ToString(CultureInfo.InvariantCulture),
                r.DisplayName,
                r.Executor,
                r.EndedAt is null ? $"{r.Status.ToString().ToUpperInvariant()} (unfinished)" : r.Status.ToString().ToUpperInvariant(),
                r.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? (r.Signal is { } s ? $"sig {s}" : "-"),
                r.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                r.Duration is { } d ? $"{d.TotalSeconds:0.###}s" : "-",
                OneLine(r.Reason ?? string.Empty),
            }));
            Console.Out.Write(Table(rows));
            if (runs.Count == 0 && count > 0)
            {
                Console.Out.WriteLine($"(no runs in {store.Location})");
            }

            return 0;
        });
        return command;
    }

    public static Command CreateShow()
    {
        var id = new Argument<long>("run") { Description = "the run's id (see lute history)" };
        CompletionSources.RunIds(id);
        var json = CliJson.Option();
        var command = new Command("show", "Shows everything recorded about one run") { id, json };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var config = LuteCommandLine.LoadConfiguration(parsed);
            await using var store = await Stores.OpenExistingAsync(config, cancellationToken).ConfigureAwait(false)
                              ?? throw new InputException($"there is no run {parsed.GetValue(id)}: {Stores.Missing(config)}");
            var run = await store.GetAsync(parsed.GetValue(id), cancellationToken).ConfigureAwait(false)
                      ?? throw new InputException($"there is no run {parsed.GetValue(id)} in {store.Location}; see lute history");
            if (parsed.GetValue(json))
            {
                CliJson.Print("show", writer => RunJson.Write(writer, run, "run"));
                return 0;
            }

            Console.Out.Write(Describe(run));
            return 0;
        });
        return command;
    }

    internal static string Describe(RunRecord run)
    {
        var text = new StringBuilder();
        void Line(string key, string? value) => text.Append(CultureInfo.InvariantCulture, $"{key + ":",-15}{(value is null ? "-" : ControlCharacters.Escape(value))}\n");
        void Json(string key, string? json)
        {
            if (json is null)
            {
                Line(key, null);
                return;
            }

            text.Append(CultureInfo.InvariantCulture, $"{key}:\n");
            foreach (var line in Pretty(json).Split('\n'))
            {
                text.Append("  ").Append(line).Append('\n');
            }
        }

        foreach (var (key, value) in RunDescription.Fields(run))
        {
            Line(key, value);
        }

        foreach (var (key, json) in RunDescription.JsonSections(run))
        {
            Json(key, json);
        }

        return text.ToString();
    }

    private static string Pretty(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = ReadableJsonEncoder.Instance }))
            {
                document.WriteTo(writer);
            }

            return Encoding.UTF8.GetString(stream.ToArray());
        }
        catch (JsonException)
        {
            return json;
        }
    }

    private static string OneLine(string text)
    {
        var line = ControlCharacters.Escape(text.ReplaceLineEndings(" "));
        return line.Length > 60 ? line[..57] + "..." : line;
    }

    private static string Table(List<string[]> rows)
    {
        var widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.Append(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd()).Append('\n');
        }

        return text.ToString();
    }
}
