using Lute.Host.Running;
using Lute.Tests.Integration;
using Lute.Tests.Support;

namespace Lute.Tests.Kit;

/// <summary>The Python client as users get it: the wheel in out/python, and the copy shipped beside lute.</summary>
[Collection(ProcessCollection.Name)]
public sealed class PythonPackageSpecs
{
    private const string Task = """
        import os, sys, lute_task
        with lute_task.connect() as lute:
            lute.log("hello from " + os.path.dirname(lute_task.__file__))
            lute.result(payload=1, summary={"typed": str(os.path.exists(os.path.join(os.path.dirname(lute_task.__file__), "py.typed")))})

        """;

    [Fact]
    public async Task The_wheel_installed_into_a_fresh_venv_sends_messages_that_reach_a_hook()
    {
        using var workspace = Workspace.Create("Lute.TestPlugins.Hooks");
        var wheel = Wheel();
        var venv = workspace.PathOf("venv");
        await RunAsync(workspace.Root, "python3", "-m", "venv", venv);
        await RunAsync(workspace.Root, Path.Combine(venv, "bin", "pip"), "install", "--no-index", "--disable-pip-version-check", "--no-cache-dir", wheel);
        var events = workspace.PathOf("events.txt");
        workspace.WriteConfig($$"""
            hooks:
              - { use: test.record, on: ["*"], settings: { path: "{{events}}" } }
            """);
        workspace.Write("task.py", Task);

        var (code, process) = await workspace.RunTaskAsync(
            $"tasks: {{ Py: {{ command: [{venv}/bin/python, task.py] }} }}",
            new Dictionary<string, string?> { ["PYTHONPATH"] = null });

        Assert.True(code == ExitCodes.Completed, process.Output);
        var installed = Path.Combine(venv, "lib");
        Assert.Contains(File.ReadAllLines(events), l => l.StartsWith("log|Message:hello from " + installed, StringComparison.Ordinal) && l.EndsWith("/site-packages/lute_task", StringComparison.Ordinal));
        Assert.Contains("result|TASK_RESULT:Object", File.ReadAllLines(events));
        Assert.Equal("True", (await workspace.LatestRunAsync()).SummaryValues()["typed"]);
    }

    [Fact]
    public async Task A_task_finds_the_client_shipped_beside_lute_through_the_template_value_and_the_variable()
    {
        using var workspace = Workspace.Create();
        workspace.Write("task.py", Task + "print('variable=' + os.environ['LUTE_PYTHON_CLIENT'])\n");

        var (code, process) = await workspace.RunTaskAsync(
            """
            tasks:
              Py:
                command: [python3, task.py]
                environment: { prepend: { PYTHONPATH: "{{ lute.python_client }}" } }
            """,
            new Dictionary<string, string?> { ["PYTHONPATH"] = null });

        Assert.True(code == ExitCodes.Completed, process.Output);
        var shipped = Path.Combine(Repo.LuteDirectory, "python");
        Assert.True(File.Exists(Path.Combine(shipped, "lute_task.py")), "the client ships in the python folder beside lute");
        Assert.Contains(process.Stderr, l => l.EndsWith("variable=" + shipped, StringComparison.Ordinal));
        var run = await workspace.LatestRunAsync();
        Assert.Equal(shipped, run.Environment["PYTHONPATH"]);
        Assert.Equal(shipped, run.Environment["LUTE_PYTHON_CLIENT"]);
    }

    private static string Wheel()
    {
        var folder = Path.Combine(Repo.Out, "python");
        var wheels = Directory.Exists(folder) ? Directory.GetFiles(folder, "lute_task-*-py3-none-any.whl") : [];
        Assert.True(wheels.Length == 1, $"{folder} must hold exactly one lute_task wheel (found {wheels.Length}); ./build.sh builds it");
        return wheels[0];
    }

    private static async Task RunAsync(string directory, string program, params string[] arguments)
    {
        using var process = ChildProcess.Start(program, arguments, directory);
        var code = await process.WaitForExitAsync(TimeSpan.FromMinutes(2));
        Assert.True(code == 0, $"{program} {string.Join(' ', arguments)} exited with {code}:\n{process.Output}");
    }
}
