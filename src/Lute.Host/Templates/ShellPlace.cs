using System.Collections.Immutable;

namespace Lute.Host.Templates;

/// <summary>What the text of a value becomes part of at its place in a shell script.</summary>
internal enum ShellSpot
{
    /// <summary>An unquoted word, or the place where one starts.</summary>
    Word,

    /// <summary>Inside <c>'...'</c>.</summary>
    SingleQuoted,

    /// <summary>Inside <c>"..."</c>.</summary>
    DoubleQuoted,

    /// <summary>The body of a heredoc whose delimiter is not quoted: <c>\ $ `</c> are special there.</summary>
    HeredocBody,

    /// <summary>The body of a heredoc whose delimiter is quoted: nothing is special there.</summary>
    LiteralHeredocBody,

    /// <summary>Inside <c>$((...))</c> or <c>((...))</c>.</summary>
    Arithmetic,

    /// <summary>Inside a <c>#</c> comment.</summary>
    Comment,
}

/// <summary>Why no value can go at a place, and what to write instead.</summary>
/// <param name="Problem">What is wrong, as the end of a sentence about the value.</param>
/// <param name="Fix">What to write instead.</param>
internal sealed record ShellRefusal(string Problem, string Fix)
{
    /// <summary>
    /// For a construct before the value that the shell could read in more than one way: where it starts in the
    /// scanned text. Null when the refusal is about the value's own place.
    /// </summary>
    public int? Offset { get; init; }
}

/// <summary>The place at the end of a script's text, where the next value would go.</summary>
/// <param name="Spot">What the value becomes part of.</param>
internal sealed record ShellPlace(ShellSpot Spot)
{
    /// <summary>The backquote layers around the place, outermost first; true for a layer written inside "...".</summary>
    public ImmutableArray<bool> Backquotes { get; init; } = [];

    /// <summary>Why only a plain integer may go here (arithmetic around the place), or null.</summary>
    public string? IntegerOnly { get; init; }

    /// <summary>Why a value with a line break may not go here, or null.</summary>
    public string? SingleLine { get; init; }

    /// <summary>Why no value may go here at all, or null.</summary>
    public ShellRefusal? Refusal { get; init; }

    /// <summary>The heredoc whose body holds the place, or null.</summary>
    public Heredoc? Heredoc { get; init; }

    /// <summary>True when only tabs (or nothing) stand between the start of the line and the place.</summary>
    public bool AtLineStart { get; init; }
}

/// <summary>The result of scanning a script's text: the place at its end and the shape of the open constructs.</summary>
/// <param name="Place">Where a value appended to the text would go.</param>
/// <param name="Shape">The open constructs, as text: equal shapes before and after a value prove it left them as they were.</param>
internal sealed record ShellScan(ShellPlace Place, string Shape);
