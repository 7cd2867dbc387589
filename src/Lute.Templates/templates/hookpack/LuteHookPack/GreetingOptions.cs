using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace LuteHookPack;

/// <summary>
/// The settings of the greeting hook, from plugins.yaml (the binding's over the plugin's). They are bound and
/// checked when lute builds the hook, before the task is launched: a missing or malformed value stops
/// <c>lute run</c> with exit code 2 and a message naming the key.
/// </summary>
internal sealed class GreetingOptions
{
    /// <summary>The text put into the run's summary when the run ends.</summary>
    [Required]
    [MinLength(1)]
    public string? Greeting { get; set; }

    /// <summary>The summary key it is put under.</summary>
    [ConfigurationKeyName("summary_key")]
    [RegularExpression("^[A-Za-z0-9_.-]+$")]
    public string SummaryKey { get; set; } = "lute-component-name.greeting";
}
