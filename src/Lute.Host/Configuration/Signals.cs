using Lute.Contracts;
using YamlDotNet.RepresentationModel;

namespace Lute.Host.Configuration;

/// <summary>Signal names as users write them (SIGTERM, TERM, term).</summary>
internal static class Signals
{
    // The signals a task can be asked to end with: it can catch them, clean up and exit.
    private static readonly Dictionary<string, TaskSignal> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["INT"] = TaskSignal.Interrupt,
        ["TERM"] = TaskSignal.Terminate,
        ["HUP"] = TaskSignal.HangUp,
        ["USR1"] = TaskSignal.User1,
        ["USR2"] = TaskSignal.User2,
    };

    // Signals that cannot end a task gracefully, and why.
    private static readonly Dictionary<string, string> NotGraceful = new(StringComparer.OrdinalIgnoreCase)
    {
        ["KILL"] = "SIGKILL cannot be caught: it is what lute sends when the grace period is over",
        ["STOP"] = "SIGSTOP only pauses a task (lute stop)",
        ["TSTP"] = "SIGTSTP only pauses a task",
        ["CONT"] = "SIGCONT only resumes a stopped task",
    };

    public static TaskSignal Parse(YamlNodes yaml, YamlNode node, string what)
    {
        var text = yaml.Scalar(node, what);
        var name = text.StartsWith("SIG", StringComparison.OrdinalIgnoreCase) ? text[3..] : text;
        var choices = $"write one of {string.Join(", ", Names.Keys.Select(k => "SIG" + k))}";
        if (NotGraceful.TryGetValue(name, out var why))
        {
            throw yaml.Error(node, $"{what} must be a signal the task can end on gracefully, not '{text}': {why}", choices);
        }

        return Names.TryGetValue(name, out var signal)
            ? signal
            : throw yaml.Error(node, $"{what} must be a signal name, not '{text}'", choices);
    }
}
