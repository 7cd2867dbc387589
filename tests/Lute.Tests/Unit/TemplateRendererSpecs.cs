using Lute.Host.Configuration;
using Lute.Host.Templates;

namespace Lute.Tests.Unit;

public sealed class TemplateRendererSpecs
{
    private static readonly Dictionary<string, string> NoEnvironment = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, TemplateText> NoHeader = new(StringComparer.Ordinal);

    private static readonly Dictionary<string, string> Builtins = new(StringComparer.Ordinal)
    {
        ["run_id"] = "42",
        ["task"] = "train",
        ["executor"] = "local",
    };

    private static TemplateText At(string text, long line = 3, long column = 7) => new(text, new SourceLocation("tasks.yaml", line, column));

    private static TemplateRenderer Renderer(
        IEnumerable<KeyValuePair<string, TemplateText>>? parameters = null,
        Dictionary<string, TemplateText>? header = null,
        Dictionary<string, string>? environment = null) =>
        new(parameters ?? [], header ?? NoHeader, environment ?? NoEnvironment, Builtins);

    [Fact]
    public void A_parameter_may_refer_to_another_parameter()
    {
        // Arrange
        var renderer = Renderer(
        [
            KeyValuePair.Create("out", At("{{ base }}/out", 4, 12)),
            KeyValuePair.Create("base", At("/data/{{ name }}", 5, 12)),
            KeyValuePair.Create("name", At("mnist", 6, 12)),
        ]);

        // Act
        var parameters = renderer.RenderParameters();
        var text = renderer.Render(At("--out={{out}}"));

        // Assert
        Assert.Equal("/data/mnist/out", parameters["out"]);
        Assert.Equal("/data/mnist", parameters["base"]);
        Assert.Equal("mnist", parameters["name"]);
        Assert.Equal("--out=/data/mnist/out", text);
    }

    [Fact]
    public void Rendered_parameters_are_in_name_order()
    {
        // Arrange
        var renderer = Renderer([KeyValuePair.Create("b", At("2")), KeyValuePair.Create("a", At("1")), KeyValuePair.Create("c", At("3"))]);

        // Act
        var parameters = renderer.RenderParameters();

        // Assert
        Assert.Equal(["a", "b", "c"], parameters.Keys);
    }

    [Fact]
    public void Header_run_stays_a_string_with_its_leading_zeros()
    {
        // Arrange
        var header = new Dictionary<string, TemplateText>(StringComparer.Ordinal) { ["run"] = At("0007", 2, 8) };
        var renderer = Renderer(header: header);

        // Act
        var text = renderer.Render(At("run-{{ header.run }}"));

        // Assert
        Assert.Equal("run-0007", text);
    }

    [Fact]
    public void Header_run_from_a_task_file_stays_exactly_as_written()
    {
        // Arrange
        var file = TaskFileLoader.Parse("tasks.yaml", "header:\n  run: 0007\ntasks:\n  t:\n    command: [echo, \"{{ header.run }}\"]\n");
        var renderer = Renderer(header: new Dictionary<string, TemplateText>(file.Header.Values));

        // Act
        var argument = renderer.Render(file.Tasks[0].Command[1]);

        // Assert
        Assert.Equal("0007", file.Header.Run);
        Assert.Equal("0007", argument);
    }

    [Fact]
    public void Dollar_variable_is_read_from_the_given_environment()
    {
        // Arrange
        var environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["DATA_ROOT"] = "/srv/data" };
        var renderer = Renderer(environment: environment);

        // Act
        var text = renderer.Render(At("{{ $DATA_ROOT }}/in"));

        // Assert
        Assert.Equal("/srv/data/in", text);
    }

    [Fact]
    public void An_environment_value_is_inserted_as_is_and_never_rendered_again()
    {
        // Arrange
        var environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["ODD"] = "{{ nope }}" };
        var renderer = Renderer(environment: environment);

        // Act
        var text = renderer.Render(At("x{{$ODD}}x"));

        // Assert
        Assert.Equal("x{{ nope }}x", text);
    }

    [Fact]
    public void Lute_builtins_are_available()
    {
        // Arrange
        var renderer = Renderer();

        // Act
        var text = renderer.Render(At("{{ lute.task }}#{{ lute.run_id }}@{{ lute.executor }}"));

        // Assert
        Assert.Equal("train#42@local", text);
    }

    [Fact]
    public void Unknown_name_is_an_error_naming_it_and_its_place()
    {
        // Arrange
        var renderer = Renderer([KeyValuePair.Create("known", At("1"))]);

        // Act
        var error = Assert.Throws<ConfigurationException>(() => renderer.Render(At("--lr={{ learning_rate }}", 9, 14)));

        // Assert
        Assert.StartsWith("tasks.yaml:9:14: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("'learning_rate'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Parameters are: known", error.Message, StringComparison.Ordinal);
        Assert.Equal(new SourceLocation("tasks.yaml", 9, 14), error.Location);
    }

    [Fact]
    public void Unknown_name_inside_a_referenced_parameter_names_that_parameters_place()
    {
        // Arrange
        var renderer = Renderer([KeyValuePair.Create("a", At("{{ missing }}", 11, 8))]);

        // Act
        var error = Assert.Throws<ConfigurationException>(() => renderer.Render(At("{{ a }}", 20, 5)));

        // Assert
        Assert.StartsWith("tasks.yaml:11:8: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("'missing'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{{ header.nope }}", "'header.nope'")]
    [InlineData("{{ lute.nope }}", "'lute.nope'")]
    public void Unknown_header_or_builtin_name_is_an_error_naming_it(string text, string named)
    {
        // Arrange
        var renderer = Renderer();

        // Act
        var error = Assert.Throws<ConfigurationException>(() => renderer.Render(At(text, 2, 3)));

        // Assert
        Assert.StartsWith("tasks.yaml:2:3: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unset_environment_variable_is_an_error_naming_it()
    {
        // Arrange
        var renderer = Renderer();

        // Act
        var error = Assert.Throws<ConfigurationException>(() => renderer.Render(At("{{ $NOT_THERE }}", 5, 9)));

        // Assert
        Assert.StartsWith("tasks.yaml:5:9: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("'NOT_THERE'", error.Message, StringComparison.Ordinal);
        Assert.Contains("not set", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cycle_between_parameters_is_an_error_mentioning_cycle()
    {
        // Arrange
        var renderer = Renderer([KeyValuePair.Create("a", At("{{ b }}", 4, 8)), KeyValuePair.Create("b", At("{{ a }}", 5, 8))]);

        // Act
        var error = Assert.Throws<ConfigurationException>(() => renderer.RenderParameters());

        // Assert
        Assert.Contains("cycle", error.Message, StringComparison.Ordinal);
        Assert.Contains("a -> b -> a", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("tasks.yaml:5:8: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_parameter_referring_to_itself_is_a_cycle()
    {
        // Arrange
        var renderer = Renderer([KeyValuePair.Create("self", At("x{{ self }}", 4, 8))]);

        // Act
        var error = Assert.Throws<ConfigurationException>(() => renderer.Render(At("{{ self }}")));

        // Assert
        Assert.Contains("cycle", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unclosed_braces_are_an_error_naming_the_place()
    {
        // Arrange
        var renderer = Renderer([KeyValuePair.Create("a", At("1"))]);

        // Act
        var error = Assert.Throws<ConfigurationException>(() => renderer.Render(At("value {{ a", 8, 2)));

        // Assert
        Assert.StartsWith("tasks.yaml:8:2: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("without a closing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_reference_is_an_error()
    {
        // Arrange
        var renderer = Renderer();

        // Act
        var error = Assert.Throws<ConfigurationException>(() => renderer.Render(At("a{{ }}b", 1, 1)));

        // Assert
        Assert.StartsWith("tasks.yaml:1:1: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("empty reference", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Quoted_braces_write_literal_braces()
    {
        // Arrange
        var renderer = Renderer([KeyValuePair.Create("a", At("1"))]);

        // Act
        var text = renderer.Render(At("{{ '{{' }} a }} = {{ a }}"));

        // Assert
        Assert.Equal("{{ a }} = 1", text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain text")]
    [InlineData("single { brace } and $HOME and }} alone")]
    [InlineData("quotes \" ' and ;;; and Grüße, 東京")]
    public void Text_without_references_is_returned_unchanged(string text)
    {
        // Arrange
        var renderer = Renderer();

        // Act
        var rendered = renderer.Render(At(text));

        // Assert
        Assert.Equal(text, rendered);
    }

    [Theory]
    [InlineData("echo {{ v }}", "echo 'a'\\''b $x \"c\" `d`'")]
    [InlineData("echo \"{{ v }}\"", "echo \"a'b \\$x \\\"c\\\" \\`d\\`\"")]
    [InlineData("echo '{{ v }}'", "echo 'a'\\''b $x \"c\" `d`'")]
    [InlineData("echo \\\"{{ v }}", "echo \\\"'a'\\''b $x \"c\" `d`'")]
    [InlineData("echo \"it's\" {{ v }}", "echo \"it's\" 'a'\\''b $x \"c\" `d`'")]
    [InlineData("echo {{ '{{' }}", "echo {{")]
    public void A_shell_script_gets_each_value_quoted_for_where_it_stands(string script, string expected)
    {
        var renderer = Renderer([KeyValuePair.Create("v", At("a'b $x \"c\" `d`"))]);

        Assert.Equal(expected, renderer.RenderShell(At(script)));
    }

    [Fact]
    public void Outside_a_shell_values_are_put_in_as_they_are()
    {
        var renderer = Renderer([KeyValuePair.Create("v", At("a'b $x"))]);

        Assert.Equal("echo a'b $x", renderer.Render(At("echo {{ v }}")));
    }
}
