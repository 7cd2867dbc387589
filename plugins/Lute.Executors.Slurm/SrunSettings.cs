using System.ComponentModel;
using Lute.Contracts;
using Microsoft.Extensions.Configuration;

namespace Lute.Executors.Slurm;

/// <summary>
/// The settings of the slurm-srun executor (its plugin.yaml, under plugins.yaml's entry for Lute.Executors.Slurm), as
/// <c>lute plugins verify</c> shows them. The runner's own settings of an executor plugin (communicator, tcp_address)
/// are in docs/protocol.md.
/// </summary>
internal sealed class SrunSettings
{
    [Description("The srun program.")]
    public string Srun { get; set; } = "srun";

    [Description("The scancel program.")]
    public string Scancel { get; set; } = "scancel";

    [ConfigurationKeyName("scancel_timeout_seconds")]
    [Description("Bound on each scancel call (slurmctld may be unreachable).")]
    public int ScancelTimeoutSeconds { get; set; } = 15;

    [Description("Extra srun arguments for every task, for example --mpi=pmix.")]
    public List<string> Args { get; set; } = [];

    [ConfigurationKeyName("keep_env")]
    [Description("SLURM_* variables to keep in the task's environment besides SLURM_CONF and SLURM_JOB_ID.")]
    public List<string> KeepEnv { get; set; } = [];

    /// <summary>Reads the settings by the keys declared above.</summary>
    public static SrunSettings From(PluginSettings settings) => new()
    {
        Srun = settings.Get("srun", "srun")!,
        Scancel = settings.Get("scancel", "scancel")!,
        ScancelTimeoutSeconds = settings.GetInt32("scancel_timeout_seconds", 15),
        Args = [.. SettingValues.List(settings, "args", [])],
        KeepEnv = [.. SettingValues.List(settings, "keep_env", [])],
    };
}
