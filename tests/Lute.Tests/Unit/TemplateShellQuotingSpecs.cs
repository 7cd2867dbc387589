using Lute.Host.Configuration;
using Lute.Host.Templates;

namespace Lute.Tests.Unit;

/// <summary>What <see cref="TemplateRenderer.RenderShell"/> writes for a value in each shell context, and what it refuses.</summary>
public sealed class TemplateShellQuotingSpecs
{
    // The value used for the expected texts: a single quote, $, double quotes, backquotes and a backslash.
    private const string V = "a'b $x \"c\" `d` \\e";
    private const string Bare = "'a'\\''b $x \"c\" `d` \\e'";
    private const string InDoubleQuotes = "a'b \\$x \\\"c\\\" \\`d\\` \\\\e";
    private const string InHeredoc = "a'b \\$x \"c\" \\`d\\` \\\\e";
    private static readonly SourceLocation Place = new("tasks.yaml", 4, 12);

    private static string Render(string script, string value) =>
        new TemplateRenderer(
            [KeyValuePair.Create("v", new TemplateText(value, new SourceLocation("tasks.yaml", 9, 5)))],
            new Dictionary<string, TemplateText>(StringComparer.Ordinal),
            new Dictionary<string, string>(StringComparer.Ordinal),
            new Dictionary<string, string>(StringComparer.Ordinal))
            .RenderShell(new TemplateText(script, Place));

    public static TheoryData<string, string, string> Quoted() => new()
    {
        { "bare", "echo {{ v }}", $"echo {Bare}" },
        { "in '...'", "echo '{{ v }}'", $"echo {Bare}" },
        { "in \"...\"", "echo \"{{ v }}\"", $"echo \"{InDoubleQuotes}\"" },
        { "after an escaped quote", "echo \\\"{{ v }}", $"echo \\\"{Bare}" },
        { "after an escaped backslash", "echo \\\\{{ v }}", $"echo \\\\{Bare}" },
        { "after a quote inside \"...\"", "echo \"it's\" {{ v }}", $"echo \"it's\" {Bare}" },
        { "after $( inside '...'", "echo '$(' {{ v }}", $"echo '$(' {Bare}" },
        { "in \"...\" after $$(, the process id", "echo \"$$({{ v }})\"", $"echo \"$$({InDoubleQuotes})\"" },
        { "in \"...\" after ${HOME}", "echo \"${HOME}/{{ v }}\"", $"echo \"${{HOME}}/{InDoubleQuotes}\"" },
        { "in $(...) inside \"...\"", "echo \"result: $(echo {{ v }})\"", $"echo \"result: $(echo {Bare})\"" },
        { "in \"...\" in $(...) inside \"...\"", "echo \"$(echo \"{{ v }}\")\"", $"echo \"$(echo \"{InDoubleQuotes}\")\"" },
        { "in $( $( ) )", "echo \"$(echo $(echo {{ v }}))\"", $"echo \"$(echo $(echo {Bare}))\"" },
        { "in $(...) after ')' in quotes", "echo \"$(echo ')' {{ v }})\"", $"echo \"$(echo ')' {Bare})\"" },
        { "after $(...) inside \"...\"", "echo \"$(echo a) {{ v }}\"", $"echo \"$(echo a) {InDoubleQuotes}\"" },
        { "in backticks", "echo `echo {{ v }}`", "echo `echo 'a'\\\\''b \\$x \"c\" \\`d\\` \\\\e'`" },
        { "in backticks inside \"...\"", "echo \"`echo {{ v }}`\"", "echo \"`echo 'a'\\\\''b \\$x \\\"c\\\" \\`d\\` \\\\e'`\"" },
        { "in nested backticks", "echo `echo \\`echo {{ v }}\\``", "echo `echo \\`echo 'a'\\\\\\\\''b \\\\\\$x \"c\" \\\\\\`d\\\\\\` \\\\\\\\e'\\``" },
        { "heredoc body", "cat <<EOF\n{{ v }}\nEOF", $"cat <<EOF\n{InHeredoc}\nEOF" },
        { "heredoc body, <<-", "cat <<-EOF\n\t{{ v }}\n\tEOF", $"cat <<-EOF\n\t{InHeredoc}\n\tEOF" },
        { "heredoc body, <<'EOF'", "cat <<'EOF'\n{{ v }}\nEOF", $"cat <<'EOF'\n{V}\nEOF" },
        { "heredoc body, <<\"EOF\"", "cat <<\"EOF\"\n{{ v }}\nEOF", $"cat <<\"EOF\"\n{V}\nEOF" },
        { "heredoc body, <<\\EOF", "cat <<\\EOF\n{{ v }}\nEOF", $"cat <<\\EOF\n{V}\nEOF" },
        { "on the << line", "cat <<EOF; echo {{ v }}\nbody\nEOF", $"cat <<EOF; echo {Bare}\nbody\nEOF" },
        { "after a heredoc", "cat <<EOF\nbody\nEOF\necho {{ v }}", $"cat <<EOF\nbody\nEOF\necho {Bare}" },
        { "in $(...) in a heredoc body", "cat <<EOF\n$(echo {{ v }})\nEOF", $"cat <<EOF\n$(echo {Bare})\nEOF" },
        { "heredoc body in $(...)", "x=$(cat <<EOF\n{{ v }}\nEOF\n)", $"x=$(cat <<EOF\n{InHeredoc}\nEOF\n)" },
        { "in a comment", "true # {{ v }}", $"true # {Bare}" },
        { "after a # inside a word", "echo a#{{ v }}", $"echo a#{Bare}" },
        { "case word at the top", "case {{ v }} in x) echo;; esac", $"case {Bare} in x) echo;; esac" },
        { "after a bash pattern holding # and blanks", "echo @(a #b) {{ v }}", $"echo @(a #b) {Bare}" },
        { "in a subshell after !", "!(echo {{ v }})", $"!(echo {Bare})" },
        { "a literal {{ '{{' }}", "echo {{ '{{' }} {{ v }}", $"echo {{{{ {Bare}" },
    };

    [Theory]
    [MemberData(nameof(Quoted))]
    public void A_value_is_quoted_for_the_context_it_stands_in(string context, string script, string expected)
    {
        Assert.True(Render(script, V) == expected, $"{context}:\nexpected {expected}\nrendered {Render(script, V)}");
    }

    [Theory]
    [InlineData("echo $(( {{ v }} + 1 ))", "echo $(( -12 + 1 ))")]
    [InlineData("(( {{ v }} > 0 ))", "(( -12 > 0 ))")]
    [InlineData("[[ {{ v }} -eq 1 ]]", "[[ '-12' -eq 1 ]]")]
    [InlineData("[[ 1 -eq 1 ]] && echo {{ v }}", "[[ 1 -eq 1 ]] && echo '-12'")]
    public void A_plain_integer_is_accepted_inside_arithmetic(string script, string expected)
    {
        Assert.Equal(expected, Render(script, "-12"));
    }

    public static TheoryData<string, string, string, string> Refused() => new()
    {
        // script, value, a part of the problem, where the reference is
        { "echo ${x:-{{ v }}}", V, "inside ${...}", "script line 1, column 11" },
        { "echo \"${x#{{ v }}}\"", V, "inside ${...}", "script line 1, column 11" },
        { "echo $'{{ v }}'", V, "inside $'...'", "script line 1, column 8" },
        { "echo \\{{ v }}", V, "follows a backslash", "script line 1, column 7" },
        { "echo \"\\{{ v }}\"", V, "follows a backslash", "script line 1, column 8" },
        { "echo `echo \\{{ v }}`", V, "follows a backslash", "script line 1, column 13" },
        { "echo ${{ v }}", V, "follows a '$'", "script line 1, column 7" },
        { "echo \"${{ v }}\"", "(id)", "follows a '$'", "script line 1, column 8" },
        { "cat <<{{ v }}\nx\nEOF", "EOF", "heredoc delimiter", "script line 1, column 7" },
        { "cat << 'E{{ v }}'\nx\nEOF", "OF", "heredoc delimiter", "script line 1, column 10" },
        { "echo $(( {{ v }} ))", "a[$(id)]", "only a plain integer", "script line 1, column 10" },
        { "echo $(( 1 + $(echo {{ v }}) ))", "1+1", "only a plain integer", "script line 1, column 21" },
        { "(( {{ v }} ))", "x", "only a plain integer", "script line 1, column 4" },
        { "[[ {{ v }} -eq 1 ]]", "a[$(id)]", "inside [[ ... ]]", "script line 1, column 4" },
        { "cat <<EOF\n{{ v }}\nEOF", "a\nEOF\nid", "ends the heredoc", "script line 2, column 1" },
        { "cat <<EOF\nE{{ v }}\nEOF", "OF", "ends the heredoc", "script line 2, column 2" },
        { "cat <<'EOF'\n{{ v }}\nEOF", "EOF", "ends the heredoc", "script line 2, column 1" },
        { "cat <<-EOF\n\t{{ v }}\n\tEOF", "EOF", "ends the heredoc", "script line 2, column 2" },
        { "cat <<-EOF\n\t{{ v }}\n\tEOF", "\tx", "starts with a tab", "script line 2, column 2" },
        { "cat <<-EOF\n\t{{ v }}\n\tEOF", "x\n\ty", "starts with a tab", "script line 2, column 2" },
        { "x=$(cat <<EOF\n{{ v }}\nEOF\n)", "EOF)", "ends the heredoc", "script line 2, column 1" },
        { "cat <<EOF; echo {{ v }}\nbody\nEOF", "a\nb", "on the line of a << operator", "script line 1, column 17" },
        { "cat <<EOF\n$(echo {{ v }})\nEOF", "a\nb", "inside an expansion within a heredoc body", "script line 2, column 8" },
        { "cat <<EOF\n`echo {{ v }}`\nEOF", V, "inside backticks within a heredoc", "script line 2, column 7" },
        { "true # {{ v }}", "a\nid", "inside a comment", "script line 1, column 8" },
        { "echo $((1){{ v }}))", "1", "follows a ')' inside $((...))", "script line 1, column 11" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_value_where_the_quoting_cannot_be_proven_safe_is_refused_naming_the_place(string script, string value, string problem, string where)
    {
        var error = Assert.Throws<ConfigurationException>(() => Render(script, value));

        Assert.Equal(Place, error.Location);
        Assert.StartsWith("tasks.yaml:4:12: {{ v }} (" + where + ") cannot be put in safely: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(error.Fix));
    }

    public static TheoryData<string, string, string> RefusedAfter() => new()
    {
        // script, a part of the construct's description, where the construct is
        { "x=$(case a in a) echo;; esac)\necho {{ v }}", "holds 'case'", "script line 1, column 16" },
        { "cat <<EOF\na\\\n{{ v }}\nEOF", "ends with a backslash", "script line 2, column 2" },
        { "cat <<EOF; echo \"a\nb\"\nbody\nEOF\necho {{ v }}", "a line break inside quotes", "script line 1, column 19" },
        { "echo \"${x:-'a'}\" {{ v }}", "a quote inside \"${...}\"", "script line 1, column 12" },
        { "echo ${x:-{a}} {{ v }}", "a '{' inside ${...}", "script line 1, column 11" },
        { "echo $'a\\'b' {{ v }}", "\\' inside $'...'", "script line 1, column 9" },
        { "echo $((echo a); echo b) {{ v }}", "a ')' inside $((...))", "script line 1, column 15" },
        { "echo $(( \"1\" )) {{ v }}", "a quote inside arithmetic", "script line 1, column 10" },
        { "cat <<$x\nbody\n$x\necho {{ v }}", "a heredoc delimiter with $", "script line 1, column 5" },
        { "echo $[ {{ v }} ]", "bash's $[...]", "script line 1, column 6" },
        { "echo \"$[1]\" {{ v }}", "bash's $[...]", "script line 1, column 7" },
        { "(( 1 # 2 ))\necho {{ v }}", "a '#' or '<<' inside ((...))", "script line 1, column 6" },
        { "(( 1 << 2 )) && echo {{ v }}", "a '#' or '<<' inside ((...))", "script line 1, column 6" },
        { "[[ # ]]\necho {{ v }}", "a '#' or '<<' inside [[ ... ]]", "script line 1, column 4" },
        { "[[ a <<b ]]\nb\necho {{ v }}", "a '#' or '<<' inside [[ ... ]]", "script line 1, column 6" },
        { "echo @(a\nb) {{ v }}", "a line break inside a pattern", "script line 1, column 9" },
    };

    [Theory]
    [MemberData(nameof(RefusedAfter))]
    public void A_value_after_a_construct_the_shells_may_read_differently_is_refused_naming_both_places(string script, string construct, string where)
    {
        var error = Assert.Throws<ConfigurationException>(() => Render(script, "x"));

        Assert.Equal(Place, error.Location);
        Assert.Contains(construct, error.Problem, StringComparison.Ordinal);
        Assert.Contains("(" + where + "), past which the script cannot be read with certainty", error.Problem, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(error.Fix));
    }

    [Fact]
    public void A_value_before_a_construct_the_shells_may_read_differently_is_still_quoted()
    {
        Assert.Equal("echo 'x'; y=$(case a in a) echo;; esac)", Render("echo {{ v }}; y=$(case a in a) echo;; esac)", "x"));
    }

    [Fact]
    public void The_reference_is_placed_by_its_line_and_column_in_the_script()
    {
        var error = Assert.Throws<ConfigurationException>(() => Render("echo start\n  echo ${x:-{{ v }}}\n", "x"));

        Assert.Contains("(script line 2, column 13)", error.Problem, StringComparison.Ordinal);
        Assert.Contains("v={{ v }}", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void ShellQuote_still_quotes_a_bare_word()
    {
        Assert.Equal(Bare, TemplateRenderer.ShellQuote(V));
        Assert.Equal("''", TemplateRenderer.ShellQuote(string.Empty));
    }
}
