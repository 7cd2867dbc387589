using System.Diagnostics;
using System.Globalization;
using Lute.Contracts;
using Lute.Host.Logging;
using Serilog.Events;
using Serilog.Formatting.Display;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Lute.Cli.Live;

/// <summary>
/// The live status line of <c>lute run</c> on a terminal (elapsed time, status, the last line the task wrote), kept
/// below the console's lines on standard error by Spectre.Console's live display. Every console line goes through the
/// same console, so the display clears itself, the line is written, and the display is drawn again: a line is never
/// cut by the status. Created only when standard output and standard error are terminals (<see cref="LiveStatus"/>), so
/// Spectre.Console is loaded only then.
/// </summary>
internal sealed class StatusLine : ILiveStatus
{
    private static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// ANSI "erase in line" (EL 2). The live display returns the cursor to the start of the status line before a line is
    /// written but leaves the status's characters there; a line shorter than the status would keep its tail.
    /// </summary>
    private const string EraseLine = "\u001b[2K";

    private readonly IAnsiConsole _console;
    private readonly MessageTemplateTextFormatter _format;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _display;
    private string _status = "PENDING";
    private string _last = string.Empty;
    private int _disposed;

    public StatusLine(string outputTemplate)
    {
        _format = new MessageTemplateTextFormatter(outputTemplate, CultureInfo.InvariantCulture);
        _console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.Detect,
            Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(Console.Error),
        });
        _display = _console.Live(Render()).AutoClear(true).StartAsync(ShowAsync);
    }

    /// <inheritdoc/>
    public void Observe(TaskEvent taskEvent)
    {
        switch (taskEvent)
        {
            case TaskLaunchedEvent:
                Volatile.Write(ref _status, "RUNNING");
                break;
            case TaskStatusEvent status:
                Volatile.Write(ref _status, status.Status.ToString().ToUpperInvariant());
                break;
            case ProcessExitedEvent:
                Volatile.Write(ref _status, "EXITED");
                break;
            case LogLineEvent { Source: not LogSource.Runner } line:
                Volatile.Write(ref _last, line.Text);
                break;
        }
    }

    /// <summary>
    /// Writes one console line above the status line. The text goes out as it is (a control segment is not measured
    /// or wrapped), so a line is what the console gets without the status line, after the status is erased.
    /// </summary>
    public void Emit(LogEvent logEvent)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        _format.Format(logEvent, text);
        _console.Write(new ControlCode(EraseLine + text.ToString()));
    }

    /// <summary>Ends the display and clears the status line, before the run's last lines are printed.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _display.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task ShowAsync(LiveDisplayContext context)
    {
        using var timer = new PeriodicTimer(Refresh);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                context.UpdateTarget(Render());
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The run ended.
        }
    }

    private Text Render()
    {
        var elapsed = _clock.Elapsed;
        var head = string.Create(CultureInfo.InvariantCulture, $"{(int)elapsed.TotalMinutes:00}:{elapsed.Seconds:00} {Volatile.Read(ref _status)}");
        var last = ControlCharacters.Escape(Volatile.Read(ref _last));
        var room = Math.Max(0, _console.Profile.Width - head.Length - 4);
        var shown = last.Length <= room ? last : string.Concat(last.AsSpan(0, Math.Max(0, room - 1)), "…");
        return new Text(shown.Length == 0 ? head : $"{head} | {shown}", new Style(decoration: Decoration.Dim));
    }
}
