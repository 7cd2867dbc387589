using System.Collections.Immutable;
using System.Text;

namespace Lute.Host.Templates;

/// <summary>
/// Reads a POSIX shell script far enough to tell where its end stands: in which quotes, expansions, heredoc bodies,
/// comments and backquotes, as a stack of open constructs. It follows what dash and bash agree on; where they
/// differ, or where it cannot be sure, it stops and nothing after that place is accepted.
/// </summary>
internal sealed partial class ShellLexer
{
    private readonly string _text;
    private readonly List<ShellFrame> _stack = [new ScriptFrame(ScriptKind.Top)];
    private int _i;
    private ShellRefusal? _stop;
    private ShellRefusal? _pending;
    private (ShellScan Scan, bool InDoubleQuotes, int Offset)? _inside;

    private ShellLexer(string text) => _text = text;

    private ShellFrame Top => _stack[^1];

    /// <summary>Scans <paramref name="text"/> and tells where a value appended to it would stand.</summary>
    public static ShellScan Scan(string text)
    {
        var lexer = new ShellLexer(text);
        while (lexer._i < text.Length && lexer._stop is null && lexer._pending is null && lexer._inside is null)
        {
            lexer.Step();
        }

        return lexer.Result();
    }

    private char? Next(int ahead = 1) => _i + ahead < _text.Length ? _text[_i + ahead] : null;

    private void Push(ShellFrame frame) => _stack.Add(frame);

    private void Pop() => _stack.RemoveAt(_stack.Count - 1);

    private void Replace(ShellFrame frame) => _stack[^1] = frame;

    private void Stop(ShellRefusal why, int offset) => _stop = why with { Offset = offset };

    private void Step()
    {
        switch (Top)
        {
            case ScriptFrame script:
                ScriptStep(script);
                break;
            case QuoteFrame quote:
                QuoteStep(quote);
                break;
            case ParameterFrame:
                ParameterStep();
                break;
            case ArithmeticFrame arithmetic:
                ArithmeticStep(arithmetic);
                break;
            case PatternFrame:
                PatternStep();
                break;
            case HeredocFrame heredoc:
                HeredocStep(heredoc);
                break;
        }
    }

    private void ScriptStep(ScriptFrame script)
    {
        var c = _text[_i];
        if (script.Comment)
        {
            if (c == '\n')
            {
                Replace(script with { Comment = false });
                Newline();
            }
            else
            {
                _i++;
            }

            return;
        }

        switch (c)
        {
            case ' ' or '\t' or ';' or '&' or '|' or '>':
                EndWord();
                _i++;
                break;
            case '\n':
                EndWord();
                Newline();
                break;
            case '<' when Next() == '<' && Next(2) != '<' && InTest():
                Stop(ShellRefusals.TestCommentOrHeredoc, _i);
                break;
            case '<':
                EndWord();
                Redirection();
                break;
            // bash's extended patterns; a '!' that starts the word is a negation before a subshell instead.
            case '(' when script.WordStart >= 0 && (_text[_i - 1] is '@' or '*' or '+' or '?' || (_text[_i - 1] == '!' && _i - 1 > script.WordStart)):
                Replace(script with { PlainWord = false });
                Push(new PatternFrame());
                _i++;
                break;
            case '(':
                EndWord();
                Push(Next() == '(' ? new ArithmeticFrame(Command: true, 0) : new ScriptFrame(ScriptKind.Subshell));
                _i += Top is ArithmeticFrame ? 2 : 1;
                break;
            case ')':
                EndWord();
                CloseParenthesis();
                break;
            case '#' when script.WordStart < 0 && InTest():
                Stop(ShellRefusals.TestCommentOrHeredoc, _i);
                break;
            case '#' when script.WordStart < 0:
                Replace(script with { Comment = true });
                _i++;
                break;
            default:
                WordCharacter(c);
                break;
        }
    }

    private void WordCharacter(char c)
    {
        var script = (ScriptFrame)Top;
        var plain = c is not ('\'' or '"' or '\\' or '$' or '`');
        if (script.WordStart < 0)
        {
            Replace(script with { WordStart = _i, PlainWord = plain });
        }
        else if (!plain && script.PlainWord)
        {
            Replace(script with { PlainWord = false });
        }

        switch (c)
        {
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

    /// <summary>Ends the current word; <c>case</c>, <c>[[</c> and <c>]]</c> change what follows.</summary>
    private void EndWord()
    {
        if (Top is not ScriptFrame { WordStart: >= 0 } script)
        {
            return;
        }

        var word = script.PlainWord ? _text[script.WordStart.._i] : null;
        Replace(script with { WordStart = -1, SawCase = script.SawCase || word == "case" });
        if (word == "[[")
        {
            Push(new ScriptFrame(ScriptKind.Test));
        }
        else if (word == "]]" && script.Kind == ScriptKind.Test)
        {
            Pop();
        }
    }

    private void CloseParenthesis()
    {
        var script = (ScriptFrame)Top;
        switch (script.Kind)
        {
            case ScriptKind.Top:
                // Only a case pattern's ')' (or a syntax error) stands here: nothing to close.
                _i++;
                break;
            case ScriptKind.Test:
                Stop(ShellRefusals.TestParenthesis, _i);
                break;
            case ScriptKind.Subshell or ScriptKind.Command when script.SawCase:
                Stop(ShellRefusals.CaseInside, _i);
                break;
            case ScriptKind.Subshell or ScriptKind.Command when !script.Pending.IsEmpty:
                Stop(ShellRefusals.UnfinishedHeredoc, _i);
                break;
            default:
                Pop();
                _i++;
                break;
        }
    }

    /// <summary>A line break in the top frame: it starts the bodies of the heredocs of the line that ends.</summary>
    private void Newline()
    {
        if (HeredocAround(below: true))
        {
            Stop(ShellRefusals.LineBreakNearHeredoc, _i);
            return;
        }

        if (Top is ScriptFrame { Pending.IsEmpty: false } script)
        {
            Replace(script with { Pending = [], WordStart = -1 });
            Push(new HeredocFrame(script.Pending[0], script.Pending.RemoveAt(0), _i + 1));
        }

        _i++;
    }

    /// <summary>True inside [[ ... ]], or inside something within it.</summary>
    private bool InTest() => _stack.Exists(f => f is ScriptFrame { Kind: ScriptKind.Test });

    /// <summary>True when a heredoc is pending or being read in a frame (below the top one, when asked).</summary>
    private bool HeredocAround(bool below)
    {
        var count = below ? _stack.Count - 1 : _stack.Count;
        return _stack.Take(count).Any(f => f is HeredocFrame or ScriptFrame { Pending.IsEmpty: false });
    }

    private void Backslash()
    {
        if (_i + 1 >= _text.Length)
        {
            _pending = ShellRefusals.AfterBackslash;
            return;
        }

        _i += 2;
    }

    private ShellScan Result()
    {
        if (_stop is not null)
        {
            return new ShellScan(new ShellPlace(ShellSpot.Word) { Refusal = _stop }, "stopped");
        }

        var place = Place();
        var shape = string.Join(">", _stack.Select(f => f.Shape));
        if (_inside is var (inner, inDoubleQuotes, offset))
        {
            place = Within(place, inner.Place, inDoubleQuotes, offset);
            shape += (inDoubleQuotes ? ">`\"" : ">`") + inner.Shape;
        }

        if (_pending is not null)
        {
            place = place with { Refusal = place.Refusal ?? _pending };
            shape += "+";
        }

        return new ShellScan(place, shape);
    }

    /// <summary>The place at the end of the text: the top frame's spot and what every open frame adds.</summary>
    private ShellPlace Place()
    {
        var place = new ShellPlace(Top switch
        {
            ScriptFrame { Comment: true } => ShellSpot.Comment,
            QuoteFrame { Kind: QuoteKind.Single } => ShellSpot.SingleQuoted,
            QuoteFrame { Kind: QuoteKind.Double } => ShellSpot.DoubleQuoted,
            ArithmeticFrame => ShellSpot.Arithmetic,
            HeredocFrame { Body.Quoted: true } => ShellSpot.LiteralHeredocBody,
            HeredocFrame => ShellSpot.HeredocBody,
            _ => ShellSpot.Word,
        });
        if (Top is QuoteFrame { Kind: QuoteKind.AnsiC })
        {
            place = place with { Refusal = ShellRefusals.AnsiC };
        }

        for (var k = 0; k < _stack.Count; k++)
        {
            place = _stack[k] switch
            {
                ParameterFrame => place with { Refusal = place.Refusal ?? ShellRefusals.Parameter },
                ArithmeticFrame => place with { IntegerOnly = place.IntegerOnly ?? ShellRefusals.Arithmetic },
                ScriptFrame { Kind: ScriptKind.Test } => place with { IntegerOnly = place.IntegerOnly ?? ShellRefusals.Test },
                ScriptFrame { Pending.IsEmpty: false } => place with { SingleLine = place.SingleLine ?? ShellRefusals.PendingHeredoc },
                HeredocFrame h => place with
                {
                    Heredoc = h.Body,
                    AtLineStart = _text.AsSpan(h.LineStart).TrimStart('\t').IsEmpty,
                    SingleLine = k < _stack.Count - 1 ? place.SingleLine ?? ShellRefusals.InsideHeredoc : place.SingleLine,
                },
                _ => place,
            };
        }

        return place;
    }

    /// <summary>The place inside backquotes whose text ends the script: the inner place, with the outer layers added.</summary>
    private ShellPlace Within(ShellPlace outer, ShellPlace inner, bool inDoubleQuotes, int offset)
    {
        var supported = Top is ScriptFrame or QuoteFrame { Kind: QuoteKind.Double } && outer.Heredoc is null && inner.Heredoc is null;
        var innerRefusal = inner.Refusal is { Offset: not null } stop ? stop with { Offset = offset } : inner.Refusal;
        return inner with
        {
            Backquotes = [inDoubleQuotes, .. inner.Backquotes],
            IntegerOnly = inner.IntegerOnly ?? outer.IntegerOnly,
            SingleLine = inner.SingleLine ?? outer.SingleLine,
            Refusal = outer.Refusal ?? (supported ? innerRefusal : ShellRefusals.Backquotes),
            Heredoc = null,
        };
    }

    /// <summary>The inside of backquotes as the shell runs it: \\, \` and \$ (and \" within "...") lose their backslash.</summary>
    private static string WithoutBackquoteEscapes(string text, bool inDoubleQuotes)
    {
        var inner = new StringBuilder(text.Length);
        for (var k = 0; k < text.Length; k++)
        {
            if (text[k] == '\\' && k + 1 < text.Length && (text[k + 1] is '\\' or '`' or '$' || (inDoubleQuotes && text[k + 1] == '"')))
            {
                k++;
            }

            inner.Append(text[k]);
        }

        return inner.ToString();
    }
}
