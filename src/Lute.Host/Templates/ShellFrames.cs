using System.Collections.Immutable;

namespace Lute.Host.Templates;

/// <summary>What opened a list of commands.</summary>
internal enum ScriptKind
{
    /// <summary>The script itself (or the inside of backquotes): nothing closes it.</summary>
    Top,

    /// <summary><c>( ... )</c>, also <c>&lt;( ... )</c>.</summary>
    Subshell,

    /// <summary><c>$( ... )</c>.</summary>
    Command,

    /// <summary>bash's <c>[[ ... ]]</c>.</summary>
    Test,
}

/// <summary>The quotes of a <see cref="QuoteFrame"/>.</summary>
internal enum QuoteKind
{
    /// <summary><c>'...'</c>.</summary>
    Single,

    /// <summary><c>"..."</c>.</summary>
    Double,

    /// <summary>bash's <c>$'...'</c>.</summary>
    AnsiC,
}

/// <summary>A heredoc: its delimiter after quote removal, and where its operator is.</summary>
/// <param name="Delimiter">The line that ends the body.</param>
/// <param name="Quoted">True when any part of the delimiter was quoted: the body is then literal.</param>
/// <param name="StripTabs">True for <c>&lt;&lt;-</c>: tabs that start a body line are removed.</param>
/// <param name="Operator">The offset of the <c>&lt;&lt;</c> in the scanned text.</param>
internal sealed record Heredoc(string Delimiter, bool Quoted, bool StripTabs, int Operator);

/// <summary>One open construct of a shell script, as the lexer's stack holds it.</summary>
internal abstract record ShellFrame
{
    /// <summary>The frame as text, for <see cref="ShellScan.Shape"/>.</summary>
    public abstract string Shape { get; }
}

/// <summary>A list of commands: words, operators, comments and the heredocs whose bodies start at the next line.</summary>
/// <param name="Kind">What opened it.</param>
internal sealed record ScriptFrame(ScriptKind Kind) : ShellFrame
{
    /// <summary>Heredocs whose operator was read and whose body starts after the next line break.</summary>
    public ImmutableList<Heredoc> Pending { get; init; } = [];

    /// <summary>True inside a comment.</summary>
    public bool Comment { get; init; }

    /// <summary>Where the current word starts, or -1 between words.</summary>
    public int WordStart { get; init; } = -1;

    /// <summary>True while the current word holds no quote, backslash or expansion (so it may be a reserved word).</summary>
    public bool PlainWord { get; init; }

    /// <summary>True once the word <c>case</c> was seen: a <c>)</c> may then be a pattern's.</summary>
    public bool SawCase { get; init; }

    /// <inheritdoc />
    public override string Shape => $"S{(int)Kind}{(Comment ? "#" : string.Empty)}{(Pending.IsEmpty ? string.Empty : "<" + Pending.Count)}";
}

/// <summary>Open quotes.</summary>
/// <param name="Kind">Which quotes.</param>
internal sealed record QuoteFrame(QuoteKind Kind) : ShellFrame
{
    /// <inheritdoc />
    public override string Shape => Kind.ToString();
}

/// <summary>An open <c>${ ... }</c>.</summary>
internal sealed record ParameterFrame : ShellFrame
{
    /// <inheritdoc />
    public override string Shape => "P";
}

/// <summary>Open arithmetic: <c>$((</c>, or <c>((</c> as a command (which dash reads as two subshells); closed by <c>))</c>.</summary>
/// <param name="Command">True for <c>((</c>, false for <c>$((</c>.</param>
/// <param name="Depth">How many of the parentheses inside are open.</param>
internal sealed record ArithmeticFrame(bool Command, int Depth) : ShellFrame
{
    /// <inheritdoc />
    public override string Shape => $"A{(Command ? "c" : string.Empty)}{Depth}";
}

/// <summary>
/// bash's extended pattern <c>@(...)</c> (also <c>!( *( +( ?(</c>), part of a word: blanks, <c>#</c>, <c>&lt;</c> and
/// operators are pattern characters there. dash and bash without extglob refuse it as a syntax error.
/// </summary>
internal sealed record PatternFrame : ShellFrame
{
    /// <inheritdoc />
    public override string Shape => "X";
}

/// <summary>A heredoc body being read, with the heredocs of the same line that follow it.</summary>
/// <param name="Body">The heredoc.</param>
/// <param name="Queue">The heredocs whose bodies follow this one.</param>
/// <param name="LineStart">Where the current body line starts.</param>
internal sealed record HeredocFrame(Heredoc Body, ImmutableList<Heredoc> Queue, int LineStart) : ShellFrame
{
    /// <inheritdoc />
    public override string Shape => $"H{Body.Operator}";
}
