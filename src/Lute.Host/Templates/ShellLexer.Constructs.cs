using System.Text;

namespace Lute.Host.Templates;

/// <summary>The constructs inside a script: quotes, expansions, backquotes and heredocs.</summary>
internal sealed partial class ShellLexer
{
    private void QuoteStep(QuoteFrame quote)
    {
        var c = _text[_i];
        switch (quote.Kind, c)
        {
            case (QuoteKind.Single or QuoteKind.AnsiC, '\''):
            case (QuoteKind.Double, '"'):
                Pop();
                _i++;
                break;
            case (QuoteKind.AnsiC, '\\') when Next() == '\'':
                Stop(ShellRefusals.AnsiCQuote, _i);
                break;
            case (QuoteKind.Double or QuoteKind.AnsiC, '\\'):
                Backslash();
                break;
            case (QuoteKind.Double, '$'):
                Dollar();
                break;
            case (QuoteKind.Double, '`'):
                Backquote();
                break;
            case (_, '\n'):
                Newline();
                break;
            default:
                _i++;
                break;
        }
    }

    private void ParameterStep()
    {
        switch (_text[_i])
        {
            case '}':
                Pop();
                _i++;
                break;
            case '{':
                Stop(ShellRefusals.BraceInParameter, _i);
                break;
            case '\'' or '"' when InDoubleQuotes():
                Stop(ShellRefusals.QuoteInQuotedParameter, _i);
                break;
            case '\'':
                Push(new QuoteFrame(QuoteKind.Single));
                _i++;
                break;
            case '"':
                Push(new QuoteFrame(QuoteKind.Double));
                _i++;
                break;
            case '\\':
                Backslash();
                break;
            case '$':
                Dollar();
                break;
            case '`':
                Backquote();
                break;
            case '\n':
                Newline();
                break;
            default:
                _i++;
                break;
        }
    }

    /// <summary>True when the innermost frame around the open ${...} frames is "..." or a heredoc body.</summary>
    private bool InDoubleQuotes() =>
        _stack.AsEnumerable().Reverse().SkipWhile(f => f is ParameterFrame).FirstOrDefault() is QuoteFrame { Kind: QuoteKind.Double } or HeredocFrame;

    private void ArithmeticStep(ArithmeticFrame arithmetic)
    {
        var c = _text[_i];
        switch (c)
        {
            case '(':
                Replace(arithmetic with { Depth = arithmetic.Depth + 1 });
                _i++;
                break;
            case ')' when arithmetic.Depth > 0:
                Replace(arithmetic with { Depth = arithmetic.Depth - 1 });
                _i++;
                break;
            case ')' when Next() == ')':
                Pop();
                _i += 2;
                break;
            case ')' when Next() is null:
                _pending = ShellRefusals.ArithmeticEnd;
                break;
            case ')':
                Stop(ShellRefusals.ParenthesisInArithmetic, _i);
                break;
            case '#' or '<' when arithmetic.Command:
                Stop(ShellRefusals.CommandArithmetic, _i);
                break;
            case '\'' or '"':
                Stop(ShellRefusals.QuoteInArithmetic, _i);
                break;
            case '\\':
                Backslash();
                break;
            case '$':
                Dollar();
                break;
            case '`':
                Backquote();
                break;
            case '\n':
                Newline();
                break;
            default:
                _i++;
                break;
        }
    }

    /// <summary>Inside @(...): quotes, escapes and expansions as in a word; a ')' ends it, a '(' nests.</summary>
    private void PatternStep()
    {
        switch (_text[_i])
        {
            case '(':
                Push(new PatternFrame());
                _i++;
                break;
            case ')':
                Pop();
                _i++;
                break;
            case '\n':
                Stop(ShellRefusals.PatternLineBreak, _i);
                break;
            case '\'':
                Push(new QuoteFrame(QuoteKind.Single));
                _i++;
                break;
            case '"':
                Push(new QuoteFrame(QuoteKind.Double));
                _i++;
                break;
            case '\\':
                Backslash();
                break;
            case '$':
                Dollar();
                break;
            case '`':
                Backquote();
                break;
            default:
                _i++;
                break;
        }
    }

    /// <summary>A '$': what it starts depends on the next character.</summary>
    private void Dollar()
    {
        switch (Next())
        {
            case null:
                _pending = ShellRefusals.AfterDollar;
                break;
            case '(' when Next(2) == '(':
                Push(new ArithmeticFrame(Command: false, 0));
                _i += 3;
                break;
            case '(':
                Push(new ScriptFrame(ScriptKind.Command));
                _i += 2;
                break;
            case '{':
                Push(new ParameterFrame());
                _i += 2;
                break;
            case '[':
                Stop(ShellRefusals.BashArithmetic, _i);
                break;
            case '\'' when Top is ScriptFrame or PatternFrame || (Top is ParameterFrame && !InDoubleQuotes()):
                Push(new QuoteFrame(QuoteKind.AnsiC));
                _i += 2;
                break;
            case '$' or '#' or '?' or '!' or '-' or '*' or '@' or (>= '0' and <= '9'):
                // A special parameter: "$$(" is the process id and a '(', not a command substitution.
                _i += 2;
                break;
            default:
                _i++;
                break;
        }
    }

    /// <summary>
    /// A backquote. The shell finds its end first (the next backquote not escaped by a backslash) and runs the inside
    /// as a script of its own once \\, \` and \$ lost their backslash; so does this lexer.
    /// </summary>
    private void Backquote()
    {
        var close = _i + 1;
        while (close < _text.Length && _text[close] != '`')
        {
            close += _text[close] == '\\' ? 2 : 1;
        }

        if (close < _text.Length)
        {
            if (_text.AsSpan(_i, close - _i).Contains('\n') && HeredocAround(below: false))
            {
                Stop(ShellRefusals.LineBreakNearHeredoc, _i);
                return;
            }

            _i = close + 1;
            return;
        }

        var inDoubleQuotes = Top is QuoteFrame { Kind: QuoteKind.Double };
        _inside = (Scan(WithoutBackquoteEscapes(_text[(_i + 1)..], inDoubleQuotes)), inDoubleQuotes, _i);
    }

    /// <summary>A '&lt;': a heredoc operator reads its delimiter; bash's here-string (&lt;&lt;&lt;) takes an ordinary word.</summary>
    private void Redirection()
    {
        if (Next() != '<')
        {
            _i++;
            return;
        }

        if (Next(2) == '<')
        {
            _i += 3;
            return;
        }

        var op = _i;
        _i += 2;
        var stripTabs = _i < _text.Length && _text[_i] == '-';
        _i += stripTabs ? 1 : 0;
        while (_i < _text.Length && _text[_i] is ' ' or '\t')
        {
            _i++;
        }

        var delimiter = new StringBuilder();
        var quoted = false;
        while (_i < _text.Length && _text[_i] is not (' ' or '\t' or '\n' or ';' or '&' or '|' or '<' or '>' or '(' or ')'))
        {
            var c = _text[_i];
            var end = c switch
            {
                '\'' => _text.IndexOf('\'', _i + 1),
                '"' => _text.IndexOf('"', _i + 1),
                '\\' => _i + 1 < _text.Length ? _i + 1 : -1,
                _ => _i,
            };
            if (end < 0)
            {
                _pending = ShellRefusals.HeredocDelimiter;
                return;
            }

            var part = c is '\'' or '"' ? _text[(_i + 1)..end] : _text[end].ToString();
            if ((c == '"' && part.AsSpan().IndexOfAny("\\$`") >= 0) || c is '$' or '`' || part.Contains('\n'))
            {
                Stop(ShellRefusals.OddDelimiter, op);
                return;
            }

            quoted |= c is '\'' or '"' or '\\';
            delimiter.Append(part);
            _i = end + 1;
        }

        if (_i >= _text.Length)
        {
            _pending = ShellRefusals.HeredocDelimiter;
        }
        else if (delimiter.Length == 0 && !quoted)
        {
            Stop(ShellRefusals.NoDelimiter, op);
        }
        else
        {
            var script = (ScriptFrame)Top;
            Replace(script with { Pending = script.Pending.Add(new Heredoc(delimiter.ToString(), quoted, stripTabs, op)) });
        }
    }

    /// <summary>A heredoc body, line by line: a line equal to the delimiter (tabs removed for &lt;&lt;-) ends it.</summary>
    private void HeredocStep(HeredocFrame heredoc)
    {
        var c = _text[_i];
        if (c == '\n')
        {
            var line = _text.AsSpan(heredoc.LineStart, _i - heredoc.LineStart);
            line = heredoc.Body.StripTabs ? line.TrimStart('\t') : line;
            var inCommand = _stack[^2] is ScriptFrame { Kind: not ScriptKind.Top };
            if (line.SequenceEqual(heredoc.Body.Delimiter))
            {
                if (heredoc.Queue.IsEmpty)
                {
                    Pop();
                }
                else
                {
                    Replace(new HeredocFrame(heredoc.Queue[0], heredoc.Queue.RemoveAt(0), _i + 1));
                }
            }
            else if (inCommand && line.StartsWith(heredoc.Body.Delimiter, StringComparison.Ordinal))
            {
                Stop(ShellRefusals.DelimiterPrefix, heredoc.LineStart);
                return;
            }
            else
            {
                Replace(heredoc with { LineStart = _i + 1 });
            }

            _i++;
            return;
        }

        switch (heredoc.Body.Quoted ? '\0' : c)
        {
            case '\\' when Next() == '\n':
                Stop(ShellRefusals.Continuation, _i);
                break;
            case '\\':
                Backslash();
                break;
            case '$':
                Dollar();
                break;
            case '`':
                Backquote();
                break;
            default:
                _i++;
                break;
        }
    }
}
