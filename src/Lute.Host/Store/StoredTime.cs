using System.Globalization;
using Lute.Contracts;

namespace Lute.Host.Store;

/// <summary>How every store keeps times and statuses as text: UTC in the round-trip format, statuses by name.</summary>
internal static class StoredTime
{
    /// <summary>A time as the stores keep it: UTC, round-trip format (so text order is time order).</summary>
    public static string Format(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>A stored time.</summary>
    public static DateTimeOffset Parse(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>A stored status; one this build does not know reads as Abandoned.</summary>
    public static RunStatus Status(string text) => Enum.TryParse<RunStatus>(text, out var status) ? status : RunStatus.Abandoned;
}
