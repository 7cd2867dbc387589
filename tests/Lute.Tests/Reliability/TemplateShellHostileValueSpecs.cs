using System.Text;
using Lute.Host.Configuration;
using Lute.Host.Templates;
using Lute.Tests.Support;

namespace Lute.Tests.Reliability;

/// <summary>
/// Hostile values in every shell context a <c>shell:</c> script can put them, each rendered script run for real by
/// /bin/sh (dash on Debian), bash and bash --posix (what /bin/sh is on RHEL-like systems). Each case is either
/// refused at render time, or runs without creating PWNED and writes exactly what the context should print.
/// </summary>
public sealed class TemplateShellHostileValueSpecs
{
    private static readonly string[] Shells = ["/bin/sh", "bash", "bash --posix"];

    /// <summary>The values, by a readable label.</summary>
    private static readonly Dictionary<string, string> Values = new(StringComparer.Ordinal)
    {
        ["semicolons"] = "x; touch PWNED; echo y",
        ["command substitution"] = "$(touch PWNED)",
        ["backticks"] = "`touch PWNED`",
        ["single quotes"] = "'; touch PWNED; '",
        ["double quotes"] = "\"; touch PWNED; \"",
        ["backslash"] = "\\",
        ["line break and EOF"] = "a\nEOF\ntouch PWNED",
        ["line break, tab and EOF"] = "a\n\tEOF\ntouch PWNED",
        ["EOF alone"] = "EOF",
        ["arithmetic"] = "$((1))",
        ["IFS"] = "${IFS}",
        ["spaces"] = "a b  c",
        ["star"] = "*",
        ["line break"] = "line 1\nline 2",
        ["trailing line break"] = "end\n",
        ["x paren"] = "x)",
        ["paren"] = ")",
        ["array subscript"] = "a[$(touch PWNED)]",
        ["empty"] = string.Empty,
        ["escaped dollar"] = "\\$(touch PWNED)",
        ["two backslashes and a quote"] = "\\\\'",
        ["leading tab"] = "\tx",
        ["negative integer"] = "-12",
    };

    /// <summary>The contexts: the script, which values it accepts, and what it writes to 'out' for a value (null: not checked).</summary>
    private static readonly Dictionary<string, (string Script, Func<string, bool> Accepts, Func<string, string?> Output)> Contexts = new(StringComparer.Ordinal)
    {
        ["bare"] = ("printf '%s' {{ v }} > out", Always, v => v),
        ["in '...'"] = ("printf '%s' '{{ v }}' > out", Always, v => v),
        ["in \"...\""] = ("printf '%s' \"<{{ v }}>\" > out", Always, v => $"<{v}>"),
        ["assignment"] = ("x={{ v }}; printf '%s' \"$x\" > out", Always, v => v),
        ["subshell"] = ("(printf '%s' {{ v }} > out)", Always, v => v),
        ["case word"] = ("case {{ v }} in *) printf '%s' {{ v }} > out;; esac", Always, v => v),
        ["case pattern"] = ("case x in {{ v }}) printf match > out;; *) printf other > out;; esac", Always, v => v == "x" ? "match" : "other"),
        ["$(...) bare"] = ("x=$(printf '%s.' {{ v }}); printf '%s' \"$x\" > out", Always, v => v + "."),
        ["\"$(...)\""] = ("printf '%s' \"$(printf '%s.' {{ v }})\" > out", Always, v => v + "."),
        ["\"$(echo \"...\")\""] = ("printf '%s' \"$(printf '%s.' \"{{ v }}\")\" > out", Always, v => v + "."),
        ["$( $( ) ) nested"] = ("printf '%s' \"$(printf '%s' \"$(printf '%s.' {{ v }})\")\" > out", Always, v => v + "."),
        ["$(...) with ) in quotes"] = ("printf '%s' \"$(printf '%s' ')'; printf '%s.' {{ v }})\" > out", Always, v => ")" + v + "."),
        ["backticks bare"] = ("x=`printf '%s.' {{ v }}`; printf '%s' \"$x\" > out", Always, v => v + "."),
        ["backticks in \"...\""] = ("printf '%s' \"`printf '%s.' {{ v }}`\" > out", Always, v => v + "."),
        ["backticks in \"...\" around \"...\""] = ("printf '%s' \"`printf '%s.' \"{{ v }}\"`\" > out", Always, v => v + "."),
        ["backticks around '...'"] = ("x=`printf '%s.' '{{ v }}'`; printf '%s' \"$x\" > out", Always, v => v + "."),
        ["backticks nested"] = ("x=`printf '%s' \"\\`printf '%s.' {{ v }}\\`\"`; printf '%s' \"$x\" > out", Always, v => v + "."),
        ["backticks in $(...)"] = ("printf '%s' \"$(printf '%s' `printf '%s.' \"{{ v }}\"`)\" > out", Always, _ => null),
        ["heredoc"] = ("cat > out <<EOF\n{{ v }}\nEOF\nprintf end >> out", NoDelimiterLine, v => v + "\nend"),
        ["heredoc around \"...\""] = ("cat > out <<EOF\n\"{{ v }}\" and $HOME\nEOF\nprintf end >> out", v => NoDelimiterLine($"\"{v}\" and $HOME"), v => $"\"{v}\" and {System.Environment.GetEnvironmentVariable("HOME")}\nend"),
        ["heredoc <<'EOF'"] = ("cat > out <<'EOF'\n{{ v }}\nEOF\nprintf end >> out", NoDelimiterLine, v => v + "\nend"),
        ["heredoc <<\"EOF\""] = ("cat > out <<\"EOF\"\n{{ v }}\nEOF\nprintf end >> out", NoDelimiterLine, v => v + "\nend"),
        ["heredoc <<\\EOF"] = ("cat > out <<\\EOF\n{{ v }}\nEOF\nprintf end >> out", NoDelimiterLine, v => v + "\nend"),
        ["heredoc <<-"] = ("cat > out <<-EOF\n\t{{ v }}\n\tEOF\nprintf end >> out", v => NoDelimiterLine(v, stripTabs: true) && !v.StartsWith('\t') && !v.Contains("\n\t", StringComparison.Ordinal), v => v + "\nend"),
        ["heredoc, value mid-line"] = ("cat > out <<EOF\nE{{ v }}F\nEOF\nprintf end >> out", v => NoDelimiterLine("E" + v + "F"), v => "E" + v + "F\nend"),
        ["heredoc, $(...) in the body"] = ("cat > out <<EOF\n$(printf '%s.' {{ v }})\nEOF\nprintf end >> out", v => !v.Contains('\n', StringComparison.Ordinal), v => v + ".\nend"),
        ["heredoc in $(...)"] = ("printf '%s' \"$(cat <<EOF\n{{ v }}.\nEOF\n)\" > out", v => !(v + ".").Split('\n').Any(l => l.StartsWith("EOF", StringComparison.Ordinal)), v => v + "."),
        ["on the << line"] = ("cat <<EOF > out; printf '%s' {{ v }} >> out\nbody\nEOF", v => !v.Contains('\n', StringComparison.Ordinal), v => "body\n" + v),
        ["arithmetic"] = ("printf '%s' $(( {{ v }} + 1 )) > out", IsInteger, v => (int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ["arithmetic around $(...)"] = ("printf '%s' $(( $(printf '%s' {{ v }}) + 1 )) > out", IsInteger, _ => null),
        ["bash [[ ]]"] = ("[[ {{ v }} -eq 1 ]]; printf ok > out", IsInteger, _ => null),
        ["bash (( ))"] = ("(( {{ v }} > 0 )); printf ok > out", IsInteger, _ => null),
        ["bash $[ ]"] = ("printf '%s' $[ {{ v }} ] > out", Never, _ => null),
        ["after bash (( ))"] = ("(( 1 )) && printf '%s' {{ v }} > out", Always, _ => null),
        ["after a bash pattern"] = ("[[ a == @(a|b c) ]] && printf '%s' {{ v }} > out", Always, _ => null),
        ["${x:-...}"] = ("printf '%s' \"${x:-{{ v }}}\" > out", Never, _ => null),
        ["$'...'"] = ("printf '%s' $'{{ v }}' > out", Never, _ => null),
        ["after \\"] = ("printf '%s' \\{{ v }} > out", Never, _ => null),
        ["after $"] = ("printf '%s' \"${{ v }}\" > out", Never, _ => null),
        ["in a comment"] = ("printf ok > out # {{ v }}", v => !v.Contains('\n', StringComparison.Ordinal), _ => "ok"),
        ["in a comment in $(...)"] = ("printf '%s' \"$(printf ok # {{ v }}\n)\" > out", v => !v.Contains('\n', StringComparison.Ordinal), _ => "ok"),
        ["after a case in $(...)"] = ("x=$(case a in a) printf a;; esac); printf '%s' {{ v }} > out", Never, _ => null),
    };

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var context in Contexts.Keys)
        {
            foreach (var value in Values.Keys)
            {
                cases.Add(context, value);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_hostile_value_is_refused_or_reaches_the_shell_as_exactly_its_text(string context, string value)
    {
        var (template, accepts, output) = Contexts[context];
        var text = Values[value];
        var renderer = new TemplateRenderer(
            [KeyValuePair.Create("v", new TemplateText(text, new SourceLocation("tasks.yaml", 1, 1)))],
            new Dictionary<string, TemplateText>(StringComparer.Ordinal),
            new Dictionary<string, string>(StringComparer.Ordinal),
            new Dictionary<string, string>(StringComparer.Ordinal));

        string script;
        try
        {
            script = renderer.RenderShell(new TemplateText(template, new SourceLocation("tasks.yaml", 4, 12)));
        }
        catch (ConfigurationException e)
        {
            Assert.False(accepts(text), $"refused, but the context accepts this value: {e.Message}");
            Assert.StartsWith("tasks.yaml:4:12: ", e.Message, StringComparison.Ordinal);
            return;
        }

        Assert.True(accepts(text), $"accepted, but the context refuses this value; rendered:\n{script}");
        foreach (var shell in Shells)
        {
            var (code, written, said) = await RunAsync(shell, script);
            Assert.False(written is null && output(text) is not null, $"{shell} wrote no 'out' (exit {code}): {said}\n{script}");
            Assert.Equal(output(text) ?? written, written);
        }
    }

    private static async Task<(int Code, string? Out, string Said)> RunAsync(string shell, string script)
    {
        var folder = Directory.CreateTempSubdirectory("lute-shell-").FullName;
        try
        {
            var words = shell.Split(' ');
            using var process = ChildProcess.Start(words[0], [.. words[1..], "-c", script], folder);
            var code = await process.WaitForExitAsync(TimeSpan.FromSeconds(20));
            Assert.False(File.Exists(Path.Combine(folder, "PWNED")), $"{shell} ran the value as code:\n{script}");
            var outPath = Path.Combine(folder, "out");
            return (code, File.Exists(outPath) ? Encoding.UTF8.GetString(await File.ReadAllBytesAsync(outPath)) : null, process.Output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static bool Always(string value) => true;

    private static bool Never(string value) => false;

    private static bool IsInteger(string value) => int.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _);

    private static bool NoDelimiterLine(string value) => NoDelimiterLine(value, stripTabs: false);

    private static bool NoDelimiterLine(string value, bool stripTabs) => !value.Split('\n').Any(l => (stripTabs ? l.TrimStart('\t') : l) == "EOF");
}
