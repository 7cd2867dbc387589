using Lute.Contracts;

namespace Lute.Executors;

/// <summary>Finds a program the way a shell would, in the task's PATH, so a missing program is a clear launch error.</summary>
internal static class ProgramLocator
{
    public static string Find(string program, IReadOnlyDictionary<string, string> environment, string workingDirectory, string? fallback = null)
    {
        if (program.Contains('/', StringComparison.Ordinal))
        {
            var path = Path.GetFullPath(program, workingDirectory);
            return IsExecutable(path)
                ? path
                : throw new LaunchException(program, File.Exists(path)
                    ? $"'{path}' is not executable (chmod +x it, or name its interpreter first in 'command')"
                    : $"program '{path}' does not exist");
        }

        var searchPath = environment.TryGetValue("PATH", out var value) ? value : string.Empty;
        foreach (var folder in searchPath.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, program);
            if (IsExecutable(candidate))
            {
                return candidate;
            }
        }

        if (fallback is not null && IsExecutable(fallback))
        {
            return fallback;
        }

        throw new LaunchException(program, $"program '{program}' was not found in the task's PATH ({searchPath})");
    }

    private static bool IsExecutable(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        var mode = File.GetUnixFileMode(path);
        return (mode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
    }
}
