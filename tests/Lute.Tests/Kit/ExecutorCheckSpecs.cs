using Lute.Host.Running;
using Lute.Tests.Integration;
using Lute.Tests.Support;

namespace Lute.Tests.Kit;

/// <summary>
/// Contracts 1.3 as authors and users meet them: <c>lute validate</c> (and the run) check resources against the chosen
/// executor, and <c>lute plugins verify</c> shows each component's settings schema.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class ExecutorCheckSpecs
{
    /// <summary>Executor, resources, the line:column of the value at fault, and words the problem must hold.</summary>
    public static TheoryData<string, string, string, string> BadResources => new()
    {
        { "local", "{ ntasks: \"2\" }", "4:26", "resource 'ntasks' for executor 'local': is not a resource this executor takes" },
        { "mpi", "{ partition: debug }", "4:29", "resource 'partition' for executor 'mpi': is not a resource this executor takes; fix: the mpi executor takes ntasks and ntasks-per-node" },
        { "mpi", "{ nodes: \"2\" }", "4:25", "resource 'nodes' for executor 'mpi': is not a resource this executor takes" },
        { "slurm-srun", "{ ntask: \"2\" }", "4:25", "resource 'ntask' for executor 'slurm-srun': is not a resource this executor takes; fix: the slurm-srun executor takes ntasks, nodes" },
        { "slurm-srun", "{ time: soon }", "4:24", "resource 'time' for executor 'slurm-srun': must be a SLURM time" },
        { "slurm-srun", "{ mem: 4 gigabytes }", "4:23", "resource 'mem' for executor 'slurm-srun': must be a size in megabytes, or with a unit K, M, G or T, not '4 gigabytes'" },
        { "slurm-srun", "{ gpus: \"a100:two\" }", "4:24", "resource 'gpus' for executor 'slurm-srun': must be a count, or TYPE:COUNT" },
        { "slurm-srun", "{ partition: \"debug batch\" }", "4:29", "resource 'partition' for executor 'slurm-srun': must be one name" },
    };

    [Theory]
    [MemberData(nameof(BadResources))]
    public async Task Validate_refuses_resources_the_chosen_executor_cannot_use_at_their_place(string executor, string resources, string place, string problem)
    {
        using var workspace = WithShippedExecutors();
        var file = workspace.Write("tasks.yaml", $"tasks:\n  Bad:\n    executor: {executor}\n    resources: {resources}\n    command: [\"true\"]\n");

        var (code, process) = await workspace.LuteAsync("validate", file);

        Assert.True(code == ExitCodes.BadInput, process.Output);
        Assert.Contains(process.Stderr, l => l.Contains($"tasks.yaml:{place}: {problem}", StringComparison.Ordinal));
        Assert.False(File.Exists(workspace.StorePath), "validate records nothing");
    }

    [Theory]
    [InlineData("mpi", "{ ntasks: \"2\", ntasks-per-node: \"1\" }")]
    [InlineData("slurm-srun", "{ ntasks: \"2\", nodes: 1-2, time: \"1-12:30\", mem: 4G, gpus: \"a100:2\", partition: \"debug,batch\", job-name: my job, args: --exclusive }")]
    [InlineData("slurm-srun", "{ time: UNLIMITED, mem: \"512\", cpus-per-task: \"4\" }")]
    public async Task Validate_accepts_resources_the_executor_takes(string executor, string resources)
    {
        using var workspace = WithShippedExecutors();
        var file = workspace.Write("tasks.yaml", $"tasks:\n  Good:\n    executor: {executor}\n    resources: {resources}\n    command: [\"true\"]\n");

        var (code, process) = await workspace.LuteAsync("validate", file);

        Assert.True(code == ExitCodes.Completed, process.Output);
        Assert.Contains(process.Stdout, l => l.StartsWith($"Good: ok (executor {executor}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_run_with_a_resource_its_executor_does_not_take_stops_before_anything_is_launched_or_recorded()
    {
        using var workspace = Workspace.Create();
        var file = workspace.Write("tasks.yaml", "tasks:\n  Bad:\n    resources: { ntasks: \"2\" }\n    command: [sh, -c, 'touch ran']\n");

        var (code, process) = await workspace.LuteAsync("run", file, "Bad");

        Assert.True(code == ExitCodes.BadInput, process.Output);
        Assert.Contains(process.Stderr, l => l.Contains("tasks.yaml:3:26: resource 'ntasks' for executor 'local'", StringComparison.Ordinal));
        Assert.False(File.Exists(workspace.PathOf("ran")));
        Assert.False(File.Exists(workspace.StorePath));
    }

    [Fact]
    public async Task Verify_shows_a_hook_packs_settings_with_types_defaults_required_keys_and_descriptions()
    {
        using var workspace = Workspace.Create();

        var (code, process) = await workspace.LuteAsync("plugins", "verify", Repo.Plugin("Lute.Hooks.Webhook"));

        Assert.True(code == ExitCodes.Completed, process.Output);
        var schema = process.Stdout.SkipWhile(l => l != "Settings schema:").Skip(1).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal)).ToList();
        Assert.Equal("  hook webhook.post:", schema[0]);
        Assert.Contains(schema, l => Columns(l) is ["url", "text", "optional", "Where", ..]);
        Assert.Contains(schema, l => l.StartsWith("    secret ", StringComparison.Ordinal) && l.Contains("{ env: VARIABLE } or { file: PATH }) required ", StringComparison.Ordinal));
        Assert.Contains(schema, l => Columns(l) is ["signature_header", "text", "required", ..]);
        Assert.Contains(schema, l => Columns(l) is ["http:retries", "whole", "number", "0..10", "default", "2", ..]);
        Assert.Contains(schema, l => Columns(l) is ["http:attempt_timeout", "duration", _, _, _, "default", "3s", ..]);
    }

    [Fact]
    public async Task Verify_shows_the_executors_settings_and_says_when_a_component_declares_none()
    {
        using var workspace = Workspace.Create();

        var (mpiCode, mpi) = await workspace.LuteAsync("plugins", "verify", Repo.Plugin("Lute.Executors.Mpi"));
        var (localCode, local) = await workspace.LuteAsync("plugins", "verify", Repo.Plugin("Lute.Executors.Local"));
        var (oldCode, old) = await workspace.LuteAsync("plugins", "verify", Repo.TestPlugin("Lute.TestPlugins.Hooks"));

        Assert.True(mpiCode == ExitCodes.Completed && localCode == ExitCodes.Completed && oldCode == ExitCodes.Completed, mpi.Output + local.Output + old.Output);
        Assert.Contains(mpi.Stdout, l => Columns(l) is ["map_by", "text", "default", "core", ..]);
        Assert.Contains(mpi.Stdout, l => Columns(l) is ["tag_output", "true", "or", "false", "default", "true", ..]);
        Assert.Contains("  executor local: takes no settings", local.Stdout);
        Assert.Contains(old.Stdout, l => l.EndsWith(": declares none (LuteComponent(Settings = typeof(...)), contracts 1.3)", StringComparison.Ordinal));
    }

    /// <summary>A workspace with the three shipped executors (validate loads them; it launches nothing, so no engine is needed).</summary>
    private static Workspace WithShippedExecutors()
    {
        var workspace = Workspace.Create();
        workspace.Link(Repo.Plugin("Lute.Executors.Mpi"));
        workspace.Link(Repo.Plugin("Lute.Executors.Slurm"));
        return workspace;
    }

    private static string[] Columns(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
