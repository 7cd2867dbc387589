using BenchmarkDotNet.Attributes;
using Lute.Contracts;
using Lute.Host.Logging;
using Lute.Host.Store;

namespace Lute.Benchmarks;

/// <summary>One task line into the run's log file (RunLog: Serilog file sink, buffered), the console turned off.</summary>
[MemoryDiagnoser]
public class LogBenchmarks
{
    private string _folder = string.Empty;
    private RunLog _log = null!;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("lute-bench-log-").FullName;
        _log = new RunLog(Path.Combine(_folder, "1-Bench.log"), "Bench", Serilog.Core.Logger.None, consoleTaskOutput: false, PrivateFiles.OwnerOnly);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _log.DisposeAsync().ConfigureAwait(false);
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark]
    public void TaskLine() => _log.TaskLine(LogSource.StandardOutput, null, "line 0000042 of the task's standard output, about sixty bytes");
}
