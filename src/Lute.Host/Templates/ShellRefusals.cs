namespace Lute.Host.Templates;

/// <summary>The places where a value is refused, and the constructs after which no value is placed, with their fixes.</summary>
internal static class ShellRefusals
{
    private const string PlainWord = "give the value to a variable first and use that as a plain word, e.g. v={{ NAME }}; then write \"$v\" where it is needed";
    private const string NoBackquotes = "write $(...) instead of backticks";

    public static readonly ShellRefusal Parameter = new(
        "it is inside ${...}, where the shell may read it as a pattern or expand it again",
        "give the value to a variable first and use that inside ${...}, e.g. v={{ NAME }}; echo \"${x:-$v}\"");

    public static readonly ShellRefusal AnsiC = new(
        "it is inside $'...', whose escapes bash interprets",
        "write '...' or \"...\" around the value instead of $'...'");

    public static readonly ShellRefusal AfterBackslash = new(
        "it follows a backslash that would escape the quote the value starts with",
        "remove the backslash, or write \\\\ for a literal backslash");

    public static readonly ShellRefusal AfterDollar = new(
        "it follows a '$', which would turn its first character into an expansion",
        "write the expansion yourself (${name}), or remove the '$'");

    public static readonly ShellRefusal HeredocDelimiter = new(
        "it would be (part of) a heredoc delimiter, which decides where the heredoc ends",
        "write the delimiter literally, e.g. <<'EOF', and put the value in the body");

    public static readonly ShellRefusal ArithmeticEnd = new(
        "it follows a ')' inside $((...)) that may or may not end it",
        PlainWord);

    public static readonly ShellRefusal Backquotes = new(
        "it is inside backticks within a heredoc, ${...} or arithmetic, which the shells read differently",
        NoBackquotes);

    public static readonly ShellRefusal Unverified = new(
        "its quoted text would change how the shell reads the rest of the script",
        PlainWord);

    public const string Arithmetic =
        "inside $((...)) or ((...)) (bash and dash evaluate text there as arithmetic, and bash runs commands in array subscripts)";

    public const string Test =
        "inside [[ ... ]] (bash evaluates the operands of -eq, -lt and the like as arithmetic, and runs commands in array subscripts)";

    public const string PendingHeredoc =
        "on the line of a << operator (its heredoc body starts after the line break, which the value must not hold)";

    public const string InsideHeredoc =
        "inside an expansion within a heredoc body (dash and bash disagree about line breaks there)";

    public static ShellRefusal NotAnInteger(string where) => new(
        $"only a plain integer (digits with an optional sign) is accepted {where}",
        "give an integer, or compare the value as text (case, or [ \"$v\" = ... ] after v={{ NAME }})");

    public static ShellRefusal LineBreak(string where) => new(
        $"the value holds a line break, and it is {where}",
        PlainWord);

    public static readonly ShellRefusal Comment = new(
        "the value holds a line break and is inside a comment: the comment would end and the next line would run",
        "move the value out of the comment, or remove it");

    public static readonly ShellRefusal LeadingTab = new(
        "a line of the value starts with a tab, which the shell removes in a <<- heredoc body",
        "write << instead of <<-");

    public static ShellRefusal EndsHeredoc(string delimiter) => new(
        $"a line of the value (with the text around it) ends the heredoc, or would for bash or dash, whose delimiter is '{delimiter}'; the rest would run as commands",
        "choose a heredoc delimiter that no value can hold, e.g. <<'END_OF_INPUT_7f3a'");

    // Constructs after which the shell's reading is not certain: no value after them is placed.
    public static readonly ShellRefusal CaseInside = new(
        "a ')' in $(...) or (...) that also holds 'case' (a case pattern or the end, which the quoter does not tell apart)",
        "move the case statement out of $(...) and (...), or put the value before it");

    public static readonly ShellRefusal LineBreakNearHeredoc = new(
        "a line break inside quotes or an expansion while a heredoc is pending or being read",
        "keep quotes and expansions on one line around heredocs");

    public static readonly ShellRefusal UnfinishedHeredoc = new(
        "a ')' that ends $(...) or (...) before a heredoc inside it has a body",
        "put a line break after the << line and the heredoc's body before the ')'");

    public static readonly ShellRefusal OddDelimiter = new(
        "a heredoc delimiter with $, `, a backslash-newline or a line break in it",
        "write a plain delimiter, e.g. <<EOF or <<'EOF'");

    public static readonly ShellRefusal NoDelimiter = new("a << without a delimiter", "write a delimiter after <<, e.g. <<EOF");

    public static readonly ShellRefusal DelimiterPrefix = new(
        "a heredoc line inside $(...) that starts with the delimiter (bash ends the heredoc at 'EOF)', dash does not)",
        "end the heredoc with a line that holds only the delimiter, and start no other line with it");

    public static readonly ShellRefusal Continuation = new(
        "a heredoc body line that ends with a backslash (bash joins it with the next line before looking for the delimiter, dash does not)",
        "write \\\\ at the end of the line for a literal backslash, or use a quoted delimiter (<<'EOF')");

    public static readonly ShellRefusal AnsiCQuote = new(
        "\\' inside $'...' (bash reads it as a quote, dash as the end)",
        "write '...' instead of $'...'");

    public static readonly ShellRefusal BraceInParameter = new(
        "a '{' inside ${...} (the shells count braces there differently)",
        "quote the brace, e.g. ${x:-\"{\"}");

    public static readonly ShellRefusal QuoteInQuotedParameter = new(
        "a quote inside \"${...}\" or inside ${...} in a heredoc body (the shells read it differently)",
        "give the default or pattern to a variable first, e.g. d='...'; then write \"${x:-$d}\"");

    public static readonly ShellRefusal ParenthesisInArithmetic = new(
        "a ')' inside $((...)) or ((...)) that does not end it (it may be nested subshells instead)",
        "write $( (...) ) with a space for a command substitution that starts with a subshell");

    public static readonly ShellRefusal QuoteInArithmetic = new(
        "a quote inside arithmetic (the shells read it differently)",
        "remove the quotes inside $((...))");

    public static readonly ShellRefusal BashArithmetic = new(
        "bash's $[...] (dash reads it as text)",
        "write $((...)) instead of $[...]");

    public static readonly ShellRefusal CommandArithmetic = new(
        "a '#' or '<<' inside ((...)) (dash reads ((...)) as two subshells, where they start a comment or a heredoc; bash as arithmetic)",
        "write the test with $((...)), e.g. [ $((a << 2)) -ne 0 ]");

    public static readonly ShellRefusal TestCommentOrHeredoc = new(
        "a '#' or '<<' inside [[ ... ]] (dash reads [[ as a command, where they start a comment or a heredoc)",
        "write [ ... ] instead of [[ ... ]]");

    public static readonly ShellRefusal PatternLineBreak = new(
        "a line break inside a pattern such as @(...)",
        "keep the pattern on one line");

    public static readonly ShellRefusal TestParenthesis = new(
        "a ')' inside [[ ... ]] without a matching '('",
        "balance the parentheses inside [[ ... ]]");
}
