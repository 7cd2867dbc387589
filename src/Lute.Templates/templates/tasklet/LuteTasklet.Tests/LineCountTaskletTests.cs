using System.Text.Json;
using Lute.Contracts;

namespace LuteTasklet.Tests;

public sealed class LineCountTaskletTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("tasklet-test-");

    [Fact]
    public async Task The_lines_of_every_file_are_counted_into_a_json_object()
    {
        File.WriteAllText(Path.Combine(_folder.FullName, "a.txt"), "1\n2\n3\n");
        File.WriteAllText(Path.Combine(_folder.FullName, "b.txt"), "4\n");

        var output = await new LineCountTasklet().RunAsync(Context("a.txt", "b.txt"));

        Assert.True(output.Succeeded, output.Error);
        var counts = JsonSerializer.Deserialize<Dictionary<string, string>>(output.Text!)!;
        Assert.Equal("2", counts["files"]);
        Assert.Equal("4", counts["lines"]);
    }

    [Fact]
    public async Task A_missing_file_fails_the_tasklet_and_names_the_file()
    {
        var output = await new LineCountTasklet().RunAsync(Context("missing.txt"));

        Assert.False(output.Succeeded);
        Assert.Contains("missing.txt", output.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Delete(recursive: true);

    private TaskletContext Context(params string[] arguments) => new(
        new RunInfo { RunId = 1, TaskName = "Scan", Executor = "local", Host = "test-host", WorkDirectory = _folder.FullName },
        arguments,
        new Dictionary<string, string>(),
        PluginSettings.Empty);
}
