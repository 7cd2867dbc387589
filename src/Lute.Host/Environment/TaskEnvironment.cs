using System.Diagnostics;
using System.Text;
using Lute.Host.Configuration;
using Lute.Host.Templates;

namespace Lute.Host.Environment;

/// <summary>
/// Builds a task's environment as a fresh value from the runner's: sources a script if asked (the script's
/// environment is read with <c>env -0</c>; no output of it is ever evaluated by the host), then unsets, sets,
/// prepends and appends. The runner's own environment is never changed.
/// </summary>
public static class TaskEnvironment
{
    private static readonly string[] ShellNoise = ["_", "SHLVL", "OLDPWD", "PWD"];

    /// <summary>The runner's environment as a value.</summary>
    public static Dictionary<string, string> Current()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            result[(string)entry.Key] = (string?)entry.Value ?? string.Empty;
        }

        return result;
    }

    /// <summary>Applies <paramref name="spec"/> to a copy of <paramref name="baseEnvironment"/>.</summary>
    /// <param name="baseEnvironment">The starting environment; not changed.</param>
    /// <param name="spec">The changes.</param>
    /// <param name="renderer">Renders <c>{{ }}</c> references in values.</param>
    /// <param name="relativeTo">The folder a relative <c>source</c> path is taken from: the task file's (the current directory when null).</param>
    /// <param name="cancellationToken">Cancels sourcing.</param>
    public static async Task<Dictionary<string, string>> BuildAsync(
        IReadOnlyDictionary<string, string> baseEnvironment,
        EnvironmentSpec spec,
        TemplateRenderer renderer,
        string? relativeTo = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(renderer);
        var env = new Dictionary<string, string>(baseEnvironment, StringComparer.Ordinal);
        if (spec.Source is not null)
        {
            var script = Path.GetFullPath(renderer.Render(spec.Source), relativeTo ?? Directory.GetCurrentDirectory());
            env = await SourceAsync(env, script, spec.Source.Location, cancellationToken).ConfigureAwait(false);
        }

        foreach (var name in spec.Unset)
        {
            env.Remove(name);
        }

        foreach (var (name, value) in spec.Set)
        {
            env[name] = renderer.Render(value);
        }

        foreach (var (name, value) in spec.Prepend)
        {
            var rendered = renderer.Render(value);
            env[name] = env.TryGetValue(name, out var old) && old.Length > 0 ? $"{rendered}:{old}" : rendered;
        }

        foreach (var (name, value) in spec.Append)
        {
            var rendered = renderer.Render(value);
            env[name] = env.TryGetValue(name, out var old) && old.Length > 0 ? $"{old}:{rendered}" : rendered;
        }

        return env;
    }

    private static async Task<Dictionary<string, string>> SourceAsync(
        Dictionary<string, string> env, string script, SourceLocation location, CancellationToken cancellationToken)
    {
        if (!File.Exists(script))
        {
            throw new ConfigurationException(location, $"the environment script '{script}' does not exist", "give the path of an existing script, e.g. \"{{ lute.task_dir }}/setup.sh\"");
        }

        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        // As LUTE: sourced with `set -a`, so that variables the script assigns without `export` reach the task too.
        // The script's own output goes to stderr so that stdout carries only the NUL-separated environment.
        foreach (var arg in new[] { "-c", "set -a; . \"$1\" 1>&2 || exit $?; set +a; exec env -0", "lute-source", script })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Clear();
        foreach (var (key, value) in env)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InputException("cannot start bash to source the environment script");
        process.StandardInput.Close();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(1));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            throw new ConfigurationException(location, $"sourcing '{script}' took more than a minute", "source a script that sets variables and returns; start long work in the task instead");
        }

        if (process.ExitCode != 0)
        {
            throw new ConfigurationException(
                location,
                $"sourcing '{script}' failed with exit code {process.ExitCode}: {(await stderr.ConfigureAwait(false)).Trim()}",
                "make the script succeed when sourced by bash (test it with: bash -c '. SCRIPT')");
        }

        var result = ParseNulSeparated(await stdout.ConfigureAwait(false));
        foreach (var noise in ShellNoise)
        {
            if (env.TryGetValue(noise, out var original))
            {
                result[noise] = original;
            }
            else
            {
                result.Remove(noise);
            }
        }

        return result;
    }

    /// <summary>Parses the output of <c>env -0</c>: NAME=VALUE pairs separated by NUL.</summary>
    /// <param name="text">The output.</param>
    public static Dictionary<string, string> ParseNulSeparated(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in text.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                result[pair[..equals]] = pair[(equals + 1)..];
            }
        }

        return result;
    }

    /// <summary>Renders an environment for logs and the store: only the changed variables, sorted.</summary>
    /// <param name="before">The runner's environment.</param>
    /// <param name="after">The task's environment.</param>
    public static SortedDictionary<string, string?> Changes(
        IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after)
    {
        var changes = new SortedDictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, value) in after)
        {
            if (!before.TryGetValue(key, out var old) || old != value)
            {
                changes[key] = value;
            }
        }

        foreach (var key in before.Keys.Where(k => !after.ContainsKey(k)))
        {
            changes[key] = null;
        }

        return changes;
    }

    internal static string Describe(IReadOnlyDictionary<string, string?> changes)
    {
        var builder = new StringBuilder();
        foreach (var (key, value) in changes)
        {
            builder.Append(key).Append(value is null ? " (unset)" : "=" + value).Append('\n');
        }

        return builder.ToString();
    }
}
