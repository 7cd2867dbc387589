using BenchmarkDotNet.Attributes;
using Lute.Contracts;
using Lute.Host.Store;

namespace Lute.Benchmarks;

/// <summary>The SQLite result store on a temporary file (WAL, synchronous=NORMAL, as lute run uses it).</summary>
[MemoryDiagnoser]
public class StoreBenchmarks
{
    private string _folder = string.Empty;
    private string _path = string.Empty;
    private ResultStore _store = null!;
    private NewRun _run = null!;
    private RunningUpdate _running = null!;
    private FinalUpdate _final = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _folder = Directory.CreateTempSubdirectory("lute-bench-store-").FullName;
        _path = Path.Combine(_folder, "lute.db");
        _store = await ResultStore.OpenAsync(_path).ConfigureAwait(false);
        _run = new NewRun
        {
            Task = "FindPeaks",
            TaskFile = "/data/tasks.yaml",
            Executor = "local",
            Experiment = "mfxl1013621",
            ExperimentRun = "12",
            StartedAt = DateTimeOffset.UtcNow,
            Host = "node12",
            RunnerPid = 4242,
            Command = """["python3","find_peaks.py","--run","12"]""",
            Parameters = """{"out_dir":"/data/mfx/scratch/peaks"}""",
            Environment = """{"OMP_NUM_THREADS":"1"}""",
            WorkDirectory = "/data/mfx/scratch",
        };
        _running = new RunningUpdate(4243, """{"pid":"4243"}""", """["stdout/stderr","unix socket"]""", "/data/logs/1-FindPeaks.log", """{"OMP_NUM_THREADS":"1"}""");
        _final = new FinalUpdate
        {
            Status = RunStatus.Completed,
            ExitCode = 0,
            EndedAt = DateTimeOffset.UtcNow,
            Summary = """{"peaks":"12"}""",
            Payload = """{"peaks":12}""",
        };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Records a new run (one INSERT ... RETURNING id).</summary>
    [Benchmark]
    public Task<long> Insert() => _store.InsertAsync(_run);

    /// <summary>A run's whole store traffic: insert, mark running, finish (three writes).</summary>
    [Benchmark]
    public async Task<long> InsertUpdateFinish()
    {
        var id = await _store.InsertAsync(_run).ConfigureAwait(false);
        await _store.MarkRunningAsync(id, _running).ConfigureAwait(false);
        await _store.FinishAsync(id, _final).ConfigureAwait(false);
        return id;
    }

    /// <summary>Opens the existing store as lute run does (connection, busy timeout, store check, WAL, version check).</summary>
    [Benchmark]
    public async Task<string> OpenExisting()
    {
        using var store = await ResultStore.OpenAsync(_path).ConfigureAwait(false);
        return store.Path;
    }
}
