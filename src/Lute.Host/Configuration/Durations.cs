using System.Globalization;

namespace Lute.Host.Configuration;

/// <summary>Durations as users write them: <c>500ms</c>, <c>30s</c>, <c>10m</c>, <c>2h</c>, <c>1d</c>, or plain seconds.</summary>
internal static class Durations
{
    /// <summary>The longest duration a file may give (a longer one is a typo, and overflows timers).</summary>
    public const int MaximumDays = 365;

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        var trimmed = text.Trim();
        var (number, unit) = Split(trimmed);
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            || amount <= 0 || double.IsInfinity(amount))
        {
            return false;
        }

        double? seconds = unit switch
        {
            "ms" => amount / 1000,
            "" or "s" => amount,
            "m" or "min" => amount * 60,
            "h" => amount * 3600,
            "d" => amount * 86400,
            _ => null,
        };
        if (seconds is null || seconds > TimeSpan.FromDays(MaximumDays).TotalSeconds)
        {
            return false;
        }

        value = TimeSpan.FromSeconds(seconds.Value);
        return true;
    }

    public static string Format(TimeSpan value) => value.TotalSeconds switch
    {
        < 1 => $"{value.TotalMilliseconds:0}ms",
        < 120 => string.Create(CultureInfo.InvariantCulture, $"{value.TotalSeconds:0.###}s"),
        < 7200 => string.Create(CultureInfo.InvariantCulture, $"{value.TotalMinutes:0.##}m"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{value.TotalHours:0.##}h"),
    };

    private static (string Number, string Unit) Split(string text)
    {
        var i = 0;
        while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
        {
            i++;
        }

        return (text[..i], text[i..].Trim().ToLowerInvariant());
    }
}
