using System.ComponentModel;
using System.Globalization;

namespace Lute.Hooks.Support;

/// <summary>
/// A length of time written as in plugins.yaml: <c>500ms</c>, <c>30s</c>, <c>10m</c>, <c>2h</c>, <c>1d</c>, or plain
/// seconds (<c>2.5</c>). Use it for option properties that hold durations.
/// </summary>
/// <param name="Value">The length of time.</param>
[TypeConverter(typeof(DurationConverter))]
public readonly record struct Duration(TimeSpan Value) : IComparable<Duration>
{
    /// <summary>A duration of whole seconds.</summary>
    /// <param name="seconds">The seconds.</param>
    public static Duration FromSeconds(double seconds) => new(TimeSpan.FromSeconds(seconds));

    /// <summary>A duration of milliseconds.</summary>
    /// <param name="milliseconds">The milliseconds.</param>
    public static Duration FromMilliseconds(double milliseconds) => new(TimeSpan.FromMilliseconds(milliseconds));

    /// <summary>Reads a duration.</summary>
    /// <param name="text">The text, for example <c>5s</c>.</param>
    /// <exception cref="FormatException">The text is not a duration.</exception>
    public static Duration Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        var (number, unit) = trimmed switch
        {
            _ when trimmed.EndsWith("ms", StringComparison.Ordinal) => (trimmed[..^2], 0.001),
            _ when trimmed.EndsWith('s') => (trimmed[..^1], 1.0),
            _ when trimmed.EndsWith('m') => (trimmed[..^1], 60.0),
            _ when trimmed.EndsWith('h') => (trimmed[..^1], 3600.0),
            _ when trimmed.EndsWith('d') => (trimmed[..^1], 86400.0),
            _ => (trimmed, 1.0),
        };
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || double.IsInfinity(value * unit))
        {
            throw new FormatException($"must be a duration such as 500ms, 30s, 10m, 2h, 1d or a number of seconds, not '{text}'");
        }

        return FromSeconds(value * unit);
    }

    /// <inheritdoc />
    public int CompareTo(Duration other) => Value.CompareTo(other.Value);

    /// <summary>True when <paramref name="left"/> is shorter than <paramref name="right"/>.</summary>
    /// <param name="left">A duration.</param>
    /// <param name="right">Another.</param>
    public static bool operator <(Duration left, Duration right) => left.Value < right.Value;

    /// <summary>True when <paramref name="left"/> is longer than <paramref name="right"/>.</summary>
    /// <param name="left">A duration.</param>
    /// <param name="right">Another.</param>
    public static bool operator >(Duration left, Duration right) => left.Value > right.Value;

    /// <summary>True when <paramref name="left"/> is not longer than <paramref name="right"/>.</summary>
    /// <param name="left">A duration.</param>
    /// <param name="right">Another.</param>
    public static bool operator <=(Duration left, Duration right) => left.Value <= right.Value;

    /// <summary>True when <paramref name="left"/> is not shorter than <paramref name="right"/>.</summary>
    /// <param name="left">A duration.</param>
    /// <param name="right">Another.</param>
    public static bool operator >=(Duration left, Duration right) => left.Value >= right.Value;

    /// <inheritdoc />
    public override string ToString() => $"{Value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}s";
}

/// <summary>Lets the configuration binder read <see cref="Duration"/> values.</summary>
internal sealed class DurationConverter : TypeConverter
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) =>
        sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is string text ? Duration.Parse(text) : base.ConvertFrom(context, culture, value);
}
