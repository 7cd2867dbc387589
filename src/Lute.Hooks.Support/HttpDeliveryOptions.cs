using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Lute.Hooks.Support;

/// <summary>
/// How a hook pack's HTTP client retries and bounds its requests (the <c>http:</c> settings of every pack). The
/// defaults keep one event's requests within about 8 seconds, inside a hook's default 10-second limit.
/// </summary>
public sealed class HttpDeliveryOptions : IValidatableObject
{
    /// <summary>The time limit of one attempt.</summary>
    [Description("The time limit of one attempt.")]
    [ConfigurationKeyName("attempt_timeout")]
    public Duration AttemptTimeout { get; set; } = Duration.FromSeconds(3);

    /// <summary>How many times a transient failure (no connection, a timeout, 408, 429 or 5xx) is retried.</summary>
    [Description("How many times a transient failure (no connection, a timeout, 408, 429 or 5xx) is retried.")]
    [Range(0, 10)]
    public int Retries { get; set; } = 2;

    /// <summary>The wait before the first retry; it doubles for each next one (with jitter), or follows Retry-After.</summary>
    [Description("The wait before the first retry; it doubles for each next one (with jitter), or follows Retry-After.")]
    [ConfigurationKeyName("retry_delay")]
    public Duration RetryDelay { get; set; } = Duration.FromMilliseconds(500);

    /// <summary>The bound on one request with all its retries.</summary>
    [Description("The bound on one request with all its retries.")]
    [ConfigurationKeyName("total_timeout")]
    public Duration TotalTimeout { get; set; } = Duration.FromSeconds(8);

    /// <summary>
    /// After this many failed attempts in a row (within 30 s) the service is taken as down: requests fail at once,
    /// without waiting, until <see cref="BreakDuration"/> has passed. Each is recorded as undelivered.
    /// </summary>
    [Description("After this many failed attempts in a row (within 30 s) requests fail at once, without waiting, until break_duration has passed.")]
    [ConfigurationKeyName("break_after")]
    [Range(2, 1000)]
    public int BreakAfter { get; set; } = 6;

    /// <summary>How long requests fail at once once the service is taken as down.</summary>
    [Description("How long requests fail at once once the service is taken as down.")]
    [ConfigurationKeyName("break_duration")]
    public Duration BreakDuration { get; set; } = Duration.FromSeconds(30);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (AttemptTimeout.Value < TimeSpan.FromMilliseconds(10) || AttemptTimeout.Value > TimeSpan.FromHours(1))
        {
            yield return new ValidationResult("must be between 10ms and 1h", [nameof(AttemptTimeout)]);
        }

        if (TotalTimeout < AttemptTimeout || TotalTimeout.Value > TimeSpan.FromHours(1))
        {
            yield return new ValidationResult("must be at least attempt_timeout and at most 1h", [nameof(TotalTimeout)]);
        }

        if (RetryDelay.Value < TimeSpan.Zero || RetryDelay.Value > TimeSpan.FromMinutes(10))
        {
            yield return new ValidationResult("must be between 0s and 10m", [nameof(RetryDelay)]);
        }

        if (BreakDuration.Value < TimeSpan.FromMilliseconds(500) || BreakDuration.Value > TimeSpan.FromDays(1))
        {
            yield return new ValidationResult("must be between 500ms and 1d", [nameof(BreakDuration)]);
        }
    }
}
