using System.Text.Json;
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
    private SqliteRunRecorder _store = null!;
    private NewRun _run = null!;
    private LaunchedRun _launched = null!;
    private FinishedRun _finished = null!;
    private long _recorded;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _folder = Directory.CreateTempSubdirectory("lute-bench-store-").FullName;
        _path = Path.Combine(_folder, "lute.db");
        _store = await SqliteRunRecorder.OpenAsync(_path).ConfigureAwait(false);
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
            Command = ["python3", "find_peaks.py", "--run", "12"],
            Parameters = new Dictionary<string, string> { ["out_dir"] = "/data/mfx/scratch/peaks" },
            Environment = new Dictionary<string, string?> { ["OMP_NUM_THREADS"] = "1" },
            WorkDirectory = "/data/mfx/scratch",
        };
        _launched = new LaunchedRun
        {
            TaskPid = 4243,
            Details = new Dictionary<string, string> { ["pid"] = "4243" },
            Communicators = ["stdout/stderr", "unix socket"],
            LogPath = "/data/logs/1-FindPeaks.log",
            Environment = new Dictionary<string, string?> { ["OMP_NUM_THREADS"] = "1" },
        };
        using var payload = JsonDocument.Parse("""{"peaks":12}""");
        _finished = new FinishedRun
        {
            Status = RunStatus.Completed,
            ExitCode = 0,
            EndedAt = DateTimeOffset.UtcNow,
            Summary = new Dictionary<string, string> { ["peaks"] = "12" },
            Payload = payload.RootElement.Clone(),
        };
        _recorded = await InsertUpdateFinish().ConfigureAwait(false);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _store.DisposeAsync().ConfigureAwait(false);
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Records a new run (one INSERT ... RETURNING id).</summary>
    [Benchmark]
    public Task<long> Insert() => _store.StartedAsync(_run, CancellationToken.None);

    /// <summary>A run's whole store traffic: started, launched, finished (three writes).</summary>
    [Benchmark]
    public async Task<long> InsertUpdateFinish()
    {
        var id = await _store.StartedAsync(_run, CancellationToken.None).ConfigureAwait(false);
        await _store.LaunchedAsync(id, _launched, CancellationToken.None).ConfigureAwait(false);
        await _store.FinishedAsync(id, _finished, CancellationToken.None).ConfigureAwait(false);
        return id;
    }

    /// <summary>Reads a run back (one SELECT, the JSON columns deserialized).</summary>
    [Benchmark]
    public Task<RunRecord?> Get() => _store.GetAsync(_recorded, CancellationToken.None);

    /// <summary>Opens the existing store as lute run does (connection, busy timeout, store check, WAL, version check).</summary>
    [Benchmark]
    public async Task<string> OpenExisting()
    {
        await using var store = await SqliteRunRecorder.OpenAsync(_path).ConfigureAwait(false);
        return store.Location;
    }
}
