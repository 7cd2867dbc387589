using BenchmarkDotNet.Attributes;
using Lute.Host.Configuration;
using Lute.Host.Templates;

namespace Lute.Benchmarks;

/// <summary><c>{{ }}</c> rendering: a whole task's parameters and command, and one text on a warm renderer.</summary>
[MemoryDiagnoser]
public class TemplateBenchmarks
{
    private static readonly SourceLocation Here = new("tasks.yaml", 1, 1);

    private readonly Dictionary<string, TemplateText> _header = new(StringComparer.Ordinal)
    {
        ["experiment"] = At("mfxl1013621"),
        ["run"] = At("12"),
        ["work_dir"] = At("/data/mfx/scratch"),
    };

    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal) { ["HOME"] = "/home/lute", ["USER"] = "lute" };

    private readonly Dictionary<string, string> _builtins = new(StringComparer.Ordinal)
    {
        ["task"] = "FindPeaks",
        ["executor"] = "local",
        ["host"] = "node12",
    };

    private readonly KeyValuePair<string, TemplateText>[] _parameters =
    [
        KeyValuePair.Create("out_dir", At("{{ header.work_dir }}/{{ header.experiment }}/peaks")),
        KeyValuePair.Create("name", At("peaks-r{{ header.run }}-{{ lute.task }}")),
        KeyValuePair.Create("threshold", At("007")),
    ];

    private readonly TemplateText[] _command =
    [
        At("python3"), At("find_peaks.py"), At("--run"), At("{{ header.run }}"), At("--out"), At("{{ out_dir }}/{{ name }}.h5"),
        At("--threshold"), At("{{ threshold }}"), At("--user"), At("{{ $USER }}"), At("--literal"), At("{{ '{{' }}"),
    ];

    private TemplateRenderer _warm = null!;

    [GlobalSetup]
    public void Setup()
    {
        _warm = new TemplateRenderer(_parameters, _header, _environment, _builtins);
        _warm.RenderParameters();
    }

    /// <summary>What a run's preparation does: a new renderer, every parameter, a 12-item command.</summary>
    [Benchmark]
    public int RenderTask()
    {
        var renderer = new TemplateRenderer(_parameters, _header, _environment, _builtins);
        var length = renderer.RenderParameters().Count;
        foreach (var item in _command)
        {
            length += renderer.Render(item).Length;
        }

        return length;
    }

    /// <summary>One text with two references on a renderer whose parameters are already rendered.</summary>
    [Benchmark]
    public string RenderText() => _warm.Render(_command[5]);

    private static TemplateText At(string text) => new(text, Here);
}
