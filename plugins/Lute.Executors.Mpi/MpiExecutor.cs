using System.Globalization;
using Lute.Contracts;
using Microsoft.Extensions.Logging;

namespace Lute.Executors.Mpi;

/// <summary>
/// Runs a task's ranks under an MPI launcher (<c>mpirun</c>), which leads a session of its own: signals, cancel and
/// time limits reach the launcher and every rank, and nothing of the task outlives the run.
/// </summary>
/// <remarks>
/// Settings (plugins.yaml, under this plugin): <c>launcher</c> (program, default <c>mpirun</c>), <c>flavour</c>
/// (<c>openmpi</c> or <c>mpich</c>: which options the launcher understands), <c>map_by</c> (OpenMPI's
/// <c>--map-by</c>, default <c>core</c>; empty for none), <c>args</c> (extra launcher arguments), <c>root_args</c>
/// (added when running as root; OpenMPI: <c>--allow-run-as-root</c>), <c>oversubscribe_args</c> (added when there are
/// more ranks than usable CPUs; OpenMPI: <c>--oversubscribe</c>), <c>tag_output</c> (label every output line with its
/// rank, default true).
/// </remarks>
[LuteComponent("mpi", Description = "runs the task's ranks under mpirun (OpenMPI) or mpiexec (MPICH)", Settings = typeof(MpiSettings))]
internal sealed partial class MpiExecutor(ILogger<MpiExecutor> logger) : IExecutor, IResourceCheck
{
    private static readonly string[] ResourceKeys = ["ntasks", "ntasks-per-node"];

    /// <inheritdoc />
    public IReadOnlyList<ResourceProblem> CheckResources(IReadOnlyDictionary<string, string> resources, PluginSettings settings)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var fix = $"the mpi executor takes {string.Join(" and ", ResourceKeys)}; for other resources run the task with executor slurm-srun";
        return [.. ResourceRules.Unknown(resources, ResourceKeys, "mpi", fix), .. ResourceKeys.Select(k => ResourceRules.Count(resources, k)).OfType<ResourceProblem>()];
    }

    /// <inheritdoc />
    public Task<IExecution> LaunchAsync(LaunchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        ProcessGroupLauncher.Validate(request);
        var settings = MpiSettings.From(request.Settings);
        var flavour = Flavour.For(settings.Flavour);
        var launcher = ProgramLocator.Find(settings.Launcher ?? flavour.DefaultLauncher, request.Environment, request.WorkingDirectory);
        ResourceRules.ThrowIfAny(CheckResources(request.Resources, request.Settings), launcher);

        var usable = CpuSet.Allowed().Count;
        var ranks = Ranks(request, usable, out var rankSource);
        var arguments = new List<string> { launcher, flavour.RankCount, ranks.ToString(CultureInfo.InvariantCulture) };
        var hostfile = Hostfile(request, launcher);
        if (hostfile is not null)
        {
            arguments.AddRange([flavour.Hostfile, hostfile]);
        }

        if (request.Resources.TryGetValue("ntasks-per-node", out var perNode))
        {
            arguments.AddRange([flavour.RanksPerNode, Positive(perNode, "ntasks-per-node", launcher).ToString(CultureInfo.InvariantCulture)]);
        }

        if (flavour.MapBy is not null && settings.MapBy is { Length: > 0 } mapBy)
        {
            arguments.AddRange([flavour.MapBy, mapBy]);
        }

        if (Native.IsRoot)
        {
            arguments.AddRange(settings.RootArgs ?? flavour.RootArguments);
        }

        if (ranks > usable)
        {
            arguments.AddRange(settings.OversubscribeArgs ?? flavour.OversubscribeArguments);
        }

        var details = new Dictionary<string, string>
        {
            ["launcher"] = launcher,
            ["ranks"] = ranks.ToString(CultureInfo.InvariantCulture),
            ["ranks_from"] = rankSource,
        };
        var labels = RankLabelFormat.None;
        if (settings.TagOutput && flavour.TagOutput is not null)
        {
            arguments.Add(flavour.TagOutput);
            labels = flavour.Labels;
            // Recorded for the reader of the run; the runner reads the format from the execution itself.
            details["output_labels"] = flavour.Name;
        }

        // Ranks on other hosts get only the variables the launcher forwards: forward the runner's.
        arguments.AddRange(flavour.Forward(request.Environment.Keys.Where(k => k.StartsWith("LUTE_", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList()));
        arguments.AddRange(settings.Args);
        arguments.Add(request.Command[0]);
        arguments.AddRange(request.Command.Skip(1));

        if (hostfile is not null)
        {
            details["hostfile"] = hostfile;
        }

        var execution = ProcessGroupLauncher.Start(arguments, request, null, details, logger);
        execution.LabelRanks(labels);
        if (hostfile is not null)
        {
            // As LUTE: the hostfile is the run's own (written for it by a job script) and goes with it.
            execution.RemoveAtEnd(hostfile);
        }

        LogLaunched(logger, launcher, ranks, rankSource, execution.ProcessId);
        return Task.FromResult<IExecution>(execution);
    }

    /// <summary>
    /// The rank count, by LUTE's rule: the task's <c>ntasks</c> when given; else <c>SLURM_NPROCS</c> of the task's
    /// environment less one, else the CPUs this process may use less one (the runner keeps a core), never below one.
    /// </summary>
    internal static int Ranks(LaunchRequest request, int usableCpus, out string source)
    {
        if (request.Resources.TryGetValue("ntasks", out var ntasks))
        {
            source = "resources";
            return Positive(ntasks, "ntasks", request.Command[0]);
        }

        if (request.Environment.TryGetValue("SLURM_NPROCS", out var nprocs) && int.TryParse(nprocs, NumberStyles.None, CultureInfo.InvariantCulture, out var fromSlurm) && fromSlurm > 0)
        {
            source = "SLURM_NPROCS";
            return Math.Max(1, fromSlurm - 1);
        }

        source = "cpus";
        return Math.Max(1, usableCpus - 1);
    }

    /// <summary>The hostfile <c>LUTE_MPI_HOSTFILE_PATH</c> names, if any; a name of a file that does not exist is a launch error.</summary>
    private static string? Hostfile(LaunchRequest request, string launcher)
    {
        if (!request.Environment.TryGetValue(HostfileVariable, out var path) || path.Length == 0)
        {
            return null;
        }

        var full = Path.GetFullPath(path, request.WorkingDirectory);
        return File.Exists(full)
            ? full
            : throw new LaunchException(launcher, $"{HostfileVariable} names the MPI hostfile '{full}', which does not exist; write it before the run, or unset {HostfileVariable}");
    }

    private const string HostfileVariable = "LUTE_MPI_HOSTFILE_PATH";

    private static int Positive(string text, string key, string program) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new LaunchException(program, $"resource '{key}' must be a whole number above zero, not '{text}'");

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Launched {Launcher} with {Ranks} ranks (from {RankSource}) as session {Session}")]
    private static partial void LogLaunched(ILogger logger, string launcher, int ranks, string rankSource, int session);

    /// <summary>The options a launcher family understands.</summary>
    private sealed record Flavour(
        string Name,
        string DefaultLauncher,
        string RankCount,
        string RanksPerNode,
        string Hostfile,
        string? MapBy,
        string? TagOutput,
        RankLabelFormat Labels,
        IReadOnlyList<string> RootArguments,
        IReadOnlyList<string> OversubscribeArguments,
        bool ForwardAsList)
    {
        private static readonly Flavour OpenMpi = new("openmpi", "mpirun", "-np", "--npernode", "--hostfile", "--map-by", "--tag-output", RankLabelFormat.OpenMpi, ["--allow-run-as-root"], ["--oversubscribe"], ForwardAsList: false);

        // MPICH's Hydra has no root check and allows more ranks than cores.
        private static readonly Flavour Mpich = new("mpich", "mpiexec", "-n", "-ppn", "-f", null, "-prepend-rank", RankLabelFormat.Mpich, [], [], ForwardAsList: true);

        public static Flavour For(string name) => name.Trim().ToLowerInvariant() switch
        {
            "openmpi" => OpenMpi,
            "mpich" => Mpich,
            _ => throw new LaunchException("mpirun", $"setting 'flavour' must be openmpi or mpich, not '{name}'"),
        };

        public IEnumerable<string> Forward(IReadOnlyList<string> variables)
        {
            if (variables.Count == 0)
            {
                return [];
            }

            return ForwardAsList ? ["-genvlist", string.Join(',', variables)] : variables.SelectMany(v => new[] { "-x", v });
        }
    }
}
