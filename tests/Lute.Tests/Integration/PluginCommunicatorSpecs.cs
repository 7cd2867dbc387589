using Lute.Contracts;
using Lute.Host.Running;
using Lute.Tests.Support;

namespace Lute.Tests.Integration;

/// <summary>
/// A communicator a plugin provides is chosen by name in the executor's settings, as unix and tcp are: the test
/// plugin's <c>test.drop</c> carries the task's messages through a file.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class PluginCommunicatorSpecs
{
    [Fact]
    public async Task A_communicator_from_a_plugin_carries_the_tasks_messages_instead_of_the_unix_socket()
    {
        using var workspace = Workspace.Create("Lute.TestPlugins.Hooks");
        workspace.WriteConfig("""
            plugins:
              - name: Lute.Executors.Local
                settings: { communicator: test.drop }
            """);
        var (code, lute) = await workspace.RunTaskAsync("""
            tasks:
              Dropped:
                command: [sh, -c, 'test -z "$LUTE_SOCKET" && printf "%s\n" "{\"signal\": \"TASK_RESULT\", \"contents\": {\"payload\": \"through the drop\", \"summary\": {\"carrier\": \"file\"}}}" > "$LUTE_DROP_FILE"']
            """);

        Assert.True(code == ExitCodes.Completed, lute.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Equal("through the drop", run.Payload!.Value.GetString());
        Assert.Equal("file", run.Summary["carrier"]);
        Assert.Equal(2, run.Communicators.Count);
        Assert.StartsWith("drop file ", run.Communicators[1], StringComparison.Ordinal);
        Assert.False(File.Exists(run.Communicators[1]["drop file ".Length..]), "the session removes its file when the run ends");
        Assert.False(run.Environment.ContainsKey("LUTE_SOCKET"));
    }

    [Fact]
    public async Task Lute_plugins_lists_the_built_in_communicators_and_a_plugins_own()
    {
        using var workspace = Workspace.Create("Lute.TestPlugins.Hooks");

        var (code, process) = await workspace.LuteAsync("plugins");

        Assert.Equal(0, code);
        Assert.Contains(process.Stdout, l => l.TrimStart().StartsWith("communicator", StringComparison.Ordinal) && l.Contains(" unix ", StringComparison.Ordinal));
        Assert.Contains(process.Stdout, l => l.TrimStart().StartsWith("communicator", StringComparison.Ordinal) && l.Contains(" tcp ", StringComparison.Ordinal));
        Assert.Contains(process.Stdout, l => l.TrimStart().StartsWith("communicator", StringComparison.Ordinal) && l.Contains(" test.drop ", StringComparison.Ordinal));
    }
}
