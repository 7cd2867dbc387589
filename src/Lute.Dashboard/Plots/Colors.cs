using Lute.Contracts;

namespace Lute.Dashboard.Plots;

/// <summary>The plots' colours, one per status (fixed: never taken from the store).</summary>
internal static class Colors
{
    public static string Of(RunStatus status) => status switch
    {
        RunStatus.Completed => "#2e7d32",
        RunStatus.Failed => "#c62828",
        RunStatus.TimedOut => "#ef6c00",
        RunStatus.Cancelled => "#6d4c41",
        RunStatus.Abandoned => "#757575",
        RunStatus.Stopped => "#1565c0",
        _ => "#0288d1",
    };

    /// <summary>A lane's colour in a timeline, by its position.</summary>
    public static string Lane(int index) => Palette[index % Palette.Length];

    private static readonly string[] Palette = ["#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#ad1457", "#5d4037", "#455a64"];
}
