using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// In-process (no generated project to build) short runs: 1 launch, 3 warm-up and 3 measured iterations per case.
// Pass BenchmarkDotNet's own options, e.g. --filter '*Dispatch*' or --artifacts DIR.
var config = DefaultConfig.Instance
    .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
    .AddDiagnoser(MemoryDiagnoser.Default)
    .WithOptions(ConfigOptions.DisableLogFile);
BenchmarkSwitcher.FromAssembly(typeof(Lute.Benchmarks.FramingBenchmarks).Assembly).Run(args, config);
