using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Lute.Executors;

/// <summary>
/// Ends a task's session when the runner dies without ending it (SIGKILL, out-of-memory kill, power to the process
/// cut): a small shell process in a session of its own waits on a pipe that only the runner can write. The kernel
/// closes the pipe when the runner dies, however it dies; the guard then kills every process of the task's session
/// and runs the cleanup commands the executor gave it (such as <c>scancel</c> of a SLURM step). When the run ends
/// normally the runner ends the guard first, so it does nothing.
/// </summary>
internal sealed partial class RunnerDeathGuard : IDisposable
{
    // $1 is the task's session. Reading ends at end of file: every byte the runner wrote is a cleanup line.
    // Members of the session are found through /proc (mpirun's ranks lead process groups of their own).
    private const string Script = """
        trap '' HUP INT TERM QUIT PIPE
        sid=$1
        cleanup=
        while IFS= read -r line; do cleanup="$cleanup
        $line"; done
        for round in 1 2 3; do
          kill -KILL "-$sid" 2>/dev/null
          for stat in /proc/[0-9]*/stat; do
            { read -r fields < "$stat"; } 2>/dev/null || continue
            set -- ${fields##*) }
            [ "$4" = "$sid" ] || continue
            pid=${stat#/proc/}; kill -KILL "${pid%/stat}" 2>/dev/null
          done
        done
        eval "$cleanup"
        exit 0
        """;

    private readonly Process _guard;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private bool _disposed;

    private RunnerDeathGuard(Process guard, ILogger logger)
    {
        _guard = guard;
        _logger = logger;
    }

    /// <summary>The guard's process id.</summary>
    public int ProcessId => _guard.Id;

    /// <summary>
    /// Starts a guard for the session led by <paramref name="session"/>; null (logged) when it cannot start, since the
    /// run itself does not depend on it.
    /// </summary>
    public static RunnerDeathGuard? Start(int session, IReadOnlyDictionary<string, string> environment, string workingDirectory, ILogger logger)
    {
        var setsid = ProgramLocator.Find("setsid", environment, workingDirectory, fallback: "/usr/bin/setsid");
        var start = new ProcessStartInfo(setsid)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = false,
            RedirectStandardError = false,
        };
        foreach (var argument in new[] { "/bin/sh", "-c", Script, "lute-guard", session.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        try
        {
            var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }

            LogStarted(logger, process.Id, session);
            return new RunnerDeathGuard(process, logger);
        }
        catch (Win32Exception e)
        {
            LogNotStarted(logger, session, e.Message);
            return null;
        }
    }

    /// <summary>Adds a command the guard runs after killing the session, should the runner die.</summary>
    public void AddCleanup(IReadOnlyList<string> command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var line = new StringBuilder();
        foreach (var argument in command)
        {
            line.Append('\'').Append(argument.Replace("'", "'\\''", StringComparison.Ordinal)).Append("' ");
        }

        line.Append(">/dev/null 2>&1\n");
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            try
            {
                _guard.StandardInput.Write(line.ToString());
                _guard.StandardInput.Flush();
            }
            catch (IOException e)
            {
                LogNotStarted(_logger, _guard.Id, e.Message);
            }
        }
    }

    /// <summary>The run ended normally: the guard is ended before it can act.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        try
        {
            _guard.Kill();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _guard.Dispose();
    }

    [LoggerMessage(EventId = 103, Level = LogLevel.Debug, Message = "Guard {Guard} ends session {Session} should the runner die")]
    private static partial void LogStarted(ILogger logger, int guard, int session);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "No guard for session {Session}: {Problem}; the task outlives the runner should the runner be killed")]
    private static partial void LogNotStarted(ILogger logger, int session, string problem);
}
