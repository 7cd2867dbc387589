using Lute.Contracts;
using YamlDotNet.RepresentationModel;

namespace Lute.Host.Configuration;

/// <summary>Signal names as users write them (SIGTERM, TERM, term).</summary>
internal static class Signals
{
    private static readonly Dictionary<string, TaskSignal> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["INT"] = TaskSignal.Interrupt,
        ["TERM"] = TaskSignal.Terminate,
        ["KILL"] = TaskSignal.Kill,
        ["HUP"] = TaskSignal.HangUp,
        ["TSTP"] = TaskSignal.Stop,
        ["CONT"] = TaskSignal.Continue,
        ["USR1"] = TaskSignal.User1,
        ["USR2"] = TaskSignal.User2,
    };

    public static TaskSignal Parse(YamlNodes yaml, YamlNode node, string what)
    {
        var text = yaml.Scalar(node, what);
        var name = text.StartsWith("SIG", StringComparison.OrdinalIgnoreCase) ? text[3..] : text;
        return Names.TryGetValue(name, out var signal)
            ? signal
            : throw yaml.Error(node, $"{what} must be a signal name, not '{text}'", $"write one of {string.Join(", ", Names.Keys.Select(k => "SIG" + k))}");
    }
}
