using System.ComponentModel;
using Lute.Contracts;
using Microsoft.Extensions.Configuration;

namespace Lute.Executors.Mpi;

/// <summary>The settings of the mpi executor (plugins.yaml, under Lute.Executors.Mpi), as <c>lute plugins verify</c> shows them.</summary>
internal sealed class MpiSettings
{
    [Description("The launcher program; when absent, mpirun for openmpi and mpiexec for mpich.")]
    public string? Launcher { get; set; }

    [Description("Which options the launcher understands: openmpi or mpich.")]
    public string Flavour { get; set; } = "openmpi";

    [ConfigurationKeyName("map_by")]
    [Description("Open MPI's --map-by; empty for none.")]
    public string MapBy { get; set; } = "core";

    [Description("Extra launcher arguments (a list, or one line split at spaces).")]
    public List<string> Args { get; set; } = [];

    [ConfigurationKeyName("root_args")]
    [Description("Added when running as root; when absent, the flavour's (Open MPI: --allow-run-as-root).")]
    public List<string>? RootArgs { get; set; }

    [ConfigurationKeyName("oversubscribe_args")]
    [Description("Added when there are more ranks than usable CPUs; when absent, the flavour's (Open MPI: --oversubscribe).")]
    public List<string>? OversubscribeArgs { get; set; }

    [ConfigurationKeyName("tag_output")]
    [Description("Label every output line with its rank.")]
    public bool TagOutput { get; set; } = true;

    /// <summary>Reads the settings by the keys declared above.</summary>
    public static MpiSettings From(PluginSettings settings) => new()
    {
        Launcher = settings.Get("launcher"),
        Flavour = settings.Get("flavour", "openmpi")!,
        MapBy = settings.Get("map_by", "core")!,
        Args = [.. SettingValues.List(settings, "args", [])],
        RootArgs = SettingValues.Given(settings, "root_args") ? [.. SettingValues.List(settings, "root_args", [])] : null,
        OversubscribeArgs = SettingValues.Given(settings, "oversubscribe_args") ? [.. SettingValues.List(settings, "oversubscribe_args", [])] : null,
        TagOutput = settings.GetBoolean("tag_output", true),
    };
}
