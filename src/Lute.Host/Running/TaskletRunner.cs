using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Lute.Contracts;
using Lute.Executors;
using Lute.Host.Configuration;
using Microsoft.Extensions.Logging;

namespace Lute.Host.Running;

/// <summary>A tasklet ready to run: its spec, its rendered arguments, and the plugin component for <c>use:</c> tasklets.</summary>
internal sealed record PreparedTasklet(TaskletSpec Spec, IReadOnlyList<string> Arguments, ITasklet? Plugin, PluginSettings Settings);

/// <summary>
/// Runs tasklets in order, each with its time limit. Output goes to the summary and/or the result payload as the
/// task file says; a failure is logged, and fails the run when the tasklet's policy is <c>fail</c>.
/// </summary>
internal sealed partial class TaskletRunner(
    RunInfo run, IReadOnlyDictionary<string, string> environment, string workingDirectory, TimeSpan drainTimeout, RunState state, ILogger logger)
{
    private const int MaxOutputChars = 1024 * 1024;
    private readonly List<JsonElement> _results = [];
    private readonly Dictionary<string, List<string>> _summaries = new(StringComparer.Ordinal);

    /// <summary>Runs the tasklets; returns a failure reason when one with policy <c>fail</c> failed.</summary>
    public async Task<string?> RunAsync(string phase, IReadOnlyList<PreparedTasklet> tasklets, CancellationToken cancellationToken)
    {
        foreach (var tasklet in tasklets)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var span = RunTraces.StartTasklet(phase, tasklet.Spec.Name);
            var output = await RunOneAsync(tasklet, cancellationToken).ConfigureAwait(false);
            if (!output.Succeeded)
            {
                RunTraces.Failed(span, output.Error ?? "failed");
                LogFailed(logger, phase, tasklet.Spec.Name, output.Error ?? "failed");
                if (tasklet.Spec.OnFailure == TaskletFailurePolicy.Fail)
                {
                    return $"{phase} tasklet '{tasklet.Spec.Name}' failed: {output.Error}";
                }

                continue;
            }

            LogDone(logger, phase, tasklet.Spec.Name);
            var text = (output.Text ?? string.Empty).TrimEnd('\n', '\r');
            if (tasklet.Spec.SummaryKey is { } key)
            {
                if (!tasklet.Spec.SummaryKeyGiven && AsJson(text) is { ValueKind: JsonValueKind.Object } map)
                {
                    // A map of key/values: each becomes a summary entry (and so a run parameter for hook packs).
                    foreach (var property in map.EnumerateObject())
                    {
                        AddSummary(property.Name, RunState.AsText(property.Value));
                    }
                }
                else
                {
                    AddSummary(key, text);
                }
            }

            if (tasklet.Spec.AsResult)
            {
                _results.Add(AsJson(text));
                state.SetPayload(_results.Count == 1 ? _results[0] : JsonSerializer.SerializeToElement(_results, Store.HostJson.Stored.ListJsonElement));
            }
        }

        return null;
    }

    /// <summary>Adds a tasklet's output to the summary; several outputs under one key collect into a JSON list, as in LUTE.</summary>
    private void AddSummary(string key, string value)
    {
        if (!_summaries.TryGetValue(key, out var values))
        {
            _summaries[key] = values = [];
        }

        values.Add(value);
        state.AddSummary(key, values.Count == 1 ? value : JsonSerializer.Serialize(values, Store.HostJson.Stored.ListString));
    }

    private async Task<TaskletOutput> RunOneAsync(PreparedTasklet tasklet, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(tasklet.Spec.Timeout);
        try
        {
            if (tasklet.Plugin is not null)
            {
                var context = new TaskletContext(run, tasklet.Arguments, environment, tasklet.Settings);
                return await tasklet.Plugin.RunAsync(context, limit.Token).AsTask().WaitAsync(limit.Token).ConfigureAwait(false);
            }

            return await RunCommandAsync(tasklet.Arguments, limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new TaskletOutput(false, null, $"exceeded its {tasklet.Spec.Timeout.TotalSeconds:0.###}s limit");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new TaskletOutput(false, null, e.Message);
        }
    }

    private async Task<TaskletOutput> RunCommandAsync(IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var program = Resolve(command[0]);
        if (!File.Exists(program))
        {
            return new TaskletOutput(false, null, $"cannot start '{command[0]}': no such program{(command[0].Contains('/', StringComparison.Ordinal) ? string.Empty : " in the task's PATH")}");
        }

        // Like a task, a tasklet leads a session of its own (setsid execs in place: its process id is the session's),
        // so that whatever it leaves running can be found and ended with it.
        var start = new ProcessStartInfo(File.Exists(SetsidPath) ? SetsidPath : "setsid")
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add(program);
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception e)
        {
            return new TaskletOutput(false, null, $"cannot start '{command[0]}': {e.Message}");
        }

        using (process)
        {
            process.StandardInput.Close();
            using var reading = new CancellationTokenSource();
            var stdout = ReadBoundedAsync(process.StandardOutput, reading.Token);
            var stderr = ReadBoundedAsync(process.StandardError, reading.Token);
            try
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // The tasklet has exited (or is out of time): whatever it left in its session goes with it, and its
                // output is what it wrote until then; a process that escaped the session may hold the pipes open, so
                // reading them stops after the drain limit.
                EndSession(process.Id);
                reading.CancelAfter(drainTimeout);
                await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
            }

            var output = stdout.Result;
            return process.ExitCode == 0
                ? new TaskletOutput(true, output)
                : new TaskletOutput(false, output, $"exit code {process.ExitCode}: {Tail(stderr.Result)}");
        }
    }

    private const string SetsidPath = "/usr/bin/setsid";

    private void EndSession(int session)
    {
        try
        {
            var killed = Native.KillSession(session);
            if (killed > 0)
            {
                LogLeftovers(logger, killed, session);
            }
        }
        catch (InvalidOperationException e)
        {
            LogLeftoversFailed(logger, session, e.Message);
        }
    }

    /// <summary>Finds a bare program name in the task's PATH (the tasklet sees the task's environment, not the runner's).</summary>
    private string Resolve(string program)
    {
        if (program.Contains('/', StringComparison.Ordinal))
        {
            return Path.GetFullPath(program, workingDirectory);
        }

        var searchPath = environment.TryGetValue("PATH", out var value) ? value : string.Empty;
        return searchPath.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists) ?? program;
    }

    /// <summary>Reads to the end (or until <paramref name="cancellationToken"/> fires), keeping the first MiB; never throws for the cancel.</summary>
    private static async Task<string> ReadBoundedAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        var builder = new StringBuilder();
        var buffer = new char[8192];
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (builder.Length < MaxOutputChars)
                {
                    builder.Append(buffer, 0, Math.Min(read, MaxOutputChars - builder.Length));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // A process outside the tasklet's session still holds the pipe: what arrived until now is the output.
        }

        return builder.ToString();
    }

    private static string Tail(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length <= 2000 ? trimmed : "..." + trimmed[^2000..];
    }

    private static JsonElement AsJson(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(text, Store.HostJson.Stored.String);
        }
    }

    [LoggerMessage(EventId = 500, Level = LogLevel.Warning, Message = "The {Phase} tasklet {Tasklet} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string phase, string tasklet, string error);

    [LoggerMessage(EventId = 502, Level = LogLevel.Warning, Message = "A tasklet left {Count} process(es) running in its session {Session}: ended")]
    private static partial void LogLeftovers(ILogger logger, int count, int session);

    [LoggerMessage(EventId = 503, Level = LogLevel.Warning, Message = "Could not end what a tasklet left in its session {Session}: {Error}")]
    private static partial void LogLeftoversFailed(ILogger logger, int session, string error);

    [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "The {Phase} tasklet {Tasklet} succeeded")]
    private static partial void LogDone(ILogger logger, string phase, string tasklet);
}
