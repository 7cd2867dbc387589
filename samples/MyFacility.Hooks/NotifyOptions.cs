using System.ComponentModel.DataAnnotations;
using Lute.Hooks.Support;
using Microsoft.Extensions.Configuration;

namespace MyFacility.Hooks;

/// <summary>
/// The settings of <c>myfacility.notify</c>, from plugins.yaml. They are bound and validated when lute builds the
/// hook, before the task is launched: a missing or malformed value stops the run with a message naming its key.
/// </summary>
public sealed class NotifyOptions
{
    /// <summary>Where the facility's service listens, for example <c>https://runs.myfacility.example/api/</c>.</summary>
    [Required]
    [HttpUrl]
    public string? Url { get; set; }

    /// <summary>
    /// The service's token, sent as <c>Authorization: Bearer TOKEN</c>: <c>{ env: VARIABLE }</c> or
    /// <c>{ file: PATH }</c>. plugins.yaml never holds the token itself.
    /// </summary>
    public SecretSource? Token { get; set; }

    /// <summary>The facility's name for the beamline, sent with every post.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9_-]+$")]
    public string Beamline { get; set; } = "unknown";

    /// <summary>The summary key under which the hook records that it posted the outcome.</summary>
    [ConfigurationKeyName("summary_key")]
    public string SummaryKey { get; set; } = "myfacility.notified";

    /// <summary>Time limits and retries of the HTTP client (see docs/hook-packs.md).</summary>
    public HttpDeliveryOptions Http { get; set; } = new();
}
