using Lute.Host.Configuration;
using Lute.Host.Environment;
using Lute.Host.Templates;

namespace Lute.Tests.Unit;

public sealed class TaskEnvironmentSpecs : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("lute-env-specs-");

    public void Dispose() => _folder.Delete(recursive: true);

    private static TemplateText At(string text, long line = 1) => new(text, new SourceLocation("tasks.yaml", line, 5));

    private static KeyValuePair<string, TemplateText> Pair(string name, string value) => KeyValuePair.Create(name, At(value));

    private static TemplateRenderer Renderer(params KeyValuePair<string, TemplateText>[] parameters) =>
        new(parameters, new Dictionary<string, TemplateText>(), new Dictionary<string, string>(), new Dictionary<string, string>());

    private string Script(string body)
    {
        var path = Path.Combine(_folder.FullName, "env.sh");
        File.WriteAllText(path, body.ReplaceLineEndings("\n"));
        return path;
    }

    [Fact]
    public async Task Set_prepend_append_and_unset_are_applied_in_order()
    {
        // Arrange
        var baseEnvironment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = "/usr/bin:/bin",
            ["EMPTY"] = string.Empty,
            ["MODE"] = "old",
            ["GONE"] = "bye",
            ["KEEP"] = "kept",
            ["REPLACED_THEN_PREPENDED"] = "old",
        };
        var spec = new EnvironmentSpec
        {
            Unset = ["GONE", "NEVER_SET"],
            Set = [Pair("MODE", "{{ mode }}"), Pair("NEW", "new value"), Pair("REPLACED_THEN_PREPENDED", "set")],
            Prepend = [Pair("PATH", "/opt/{{ mode }}/bin"), Pair("EMPTY", "/e"), Pair("MISSING_PRE", "/m"), Pair("REPLACED_THEN_PREPENDED", "pre")],
            Append = [Pair("PATH", "/tail"), Pair("MISSING_POST", "/z")],
        };

        // Act
        var env = await TaskEnvironment.BuildAsync(baseEnvironment, spec, Renderer(Pair("mode", "fast")));

        // Assert
        Assert.Equal(
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["PATH"] = "/opt/fast/bin:/usr/bin:/bin:/tail",
                ["EMPTY"] = "/e",
                ["MODE"] = "fast",
                ["KEEP"] = "kept",
                ["NEW"] = "new value",
                ["MISSING_PRE"] = "/m",
                ["MISSING_POST"] = "/z",
                ["REPLACED_THEN_PREPENDED"] = "pre:set",
            },
            env);
    }

    [Fact]
    public async Task Prepend_to_an_unset_variable_gives_just_the_value()
    {
        // Arrange
        var baseEnvironment = new Dictionary<string, string>(StringComparer.Ordinal) { ["PYTHONPATH"] = "/old" };
        var spec = new EnvironmentSpec { Unset = ["PYTHONPATH"], Prepend = [Pair("PYTHONPATH", "/new")], Append = [Pair("CLASSPATH", "/c")] };

        // Act
        var env = await TaskEnvironment.BuildAsync(baseEnvironment, spec, Renderer());

        // Assert
        Assert.Equal("/new", env["PYTHONPATH"]);
        Assert.Equal("/c", env["CLASSPATH"]);
    }

    [Fact]
    public async Task The_base_environment_is_not_changed()
    {
        // Arrange
        var baseEnvironment = new Dictionary<string, string>(StringComparer.Ordinal) { ["PATH"] = "/bin", ["GONE"] = "g", ["MODE"] = "m" };
        var snapshot = new Dictionary<string, string>(baseEnvironment, StringComparer.Ordinal);
        var spec = new EnvironmentSpec
        {
            Unset = ["GONE"],
            Set = [Pair("MODE", "changed"), Pair("NEW", "n")],
            Prepend = [Pair("PATH", "/pre")],
            Append = [Pair("PATH", "/post")],
        };

        // Act
        var env = await TaskEnvironment.BuildAsync(baseEnvironment, spec, Renderer());

        // Assert
        Assert.Equal(snapshot, baseEnvironment);
        Assert.NotSame(baseEnvironment, env);
        Assert.Equal("/pre:/bin:/post", env["PATH"]);
    }

    [Fact]
    public async Task An_unknown_reference_in_a_value_is_a_configuration_error()
    {
        // Arrange
        var spec = new EnvironmentSpec { Set = [KeyValuePair.Create("X", At("{{ nope }}", 12))] };

        // Act
        var error = await Assert.ThrowsAsync<ConfigurationException>(
            () => TaskEnvironment.BuildAsync(new Dictionary<string, string>(), spec, Renderer()));

        // Assert
        Assert.StartsWith("tasks.yaml:12:5: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("'nope'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sourcing_a_script_takes_its_exports_intact_and_none_of_its_output()
    {
        // Arrange
        Script("""
            echo "JUNK=from-stdout"
            printf '\0INJECTED=1\0'
            echo "ERRJUNK=from-stderr" >&2
            export MULTI=$'line one\nline two=still value'
            export EQUALS='a=b==c'
            export UNICODE='Grüße, 東京'
            PLAIN_ASSIGNMENT='no export, as LUTE sources with set -a'
            unset REMOVE_ME
            """);
        var baseEnvironment = TaskEnvironment.Current();
        baseEnvironment["REMOVE_ME"] = "x";
        baseEnvironment["BASE_MULTI"] = "first\nsecond";
        baseEnvironment["BASE_EMPTY"] = string.Empty;
        var spec = new EnvironmentSpec { Source = At("{{ folder }}/env.sh", 7), Set = [Pair("AFTER", "after")] };
        var renderer = Renderer(Pair("folder", _folder.FullName));

        // Act
        var env = await TaskEnvironment.BuildAsync(baseEnvironment, spec, renderer);

        // Assert
        Assert.Equal("line one\nline two=still value", env["MULTI"]);
        Assert.Equal("a=b==c", env["EQUALS"]);
        Assert.Equal("Grüße, 東京", env["UNICODE"]);
        Assert.Equal("no export, as LUTE sources with set -a", env["PLAIN_ASSIGNMENT"]);
        Assert.Equal("after", env["AFTER"]);
        Assert.Equal("first\nsecond", env["BASE_MULTI"]);
        Assert.Equal(string.Empty, env["BASE_EMPTY"]);
        Assert.False(env.ContainsKey("REMOVE_ME"));
        Assert.False(env.ContainsKey("JUNK"));
        Assert.False(env.ContainsKey("INJECTED"));
        Assert.False(env.ContainsKey("ERRJUNK"));
        var expectedKeys = baseEnvironment.Keys.Where(k => k != "REMOVE_ME").Concat(["MULTI", "EQUALS", "UNICODE", "PLAIN_ASSIGNMENT", "AFTER"]).Order(StringComparer.Ordinal);
        Assert.Equal(expectedKeys, env.Keys.Order(StringComparer.Ordinal));
        Assert.All(
            baseEnvironment.Where(p => p.Key != "REMOVE_ME"),
            p => Assert.True(env[p.Key] == p.Value, $"{p.Key} changed from '{p.Value}' to '{env[p.Key]}'"));
        Assert.True(baseEnvironment.ContainsKey("REMOVE_ME"));
    }

    [Fact]
    public async Task A_failing_script_is_a_configuration_error_with_its_exit_code_and_message()
    {
        // Arrange
        var script = Script("echo 'cannot find the toolchain' >&2\nexit 3\n");
        var spec = new EnvironmentSpec { Source = At(script, 4) };

        // Act
        var error = await Assert.ThrowsAsync<ConfigurationException>(() => TaskEnvironment.BuildAsync(TaskEnvironment.Current(), spec, Renderer()));

        // Assert
        Assert.StartsWith("tasks.yaml:4:5: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("exit code 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("cannot find the toolchain", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_script_whose_last_command_fails_is_a_configuration_error()
    {
        // Arrange
        var script = Script("export OK=1\nfalse\n");
        var spec = new EnvironmentSpec { Source = At(script) };

        // Act
        var error = await Assert.ThrowsAsync<ConfigurationException>(() => TaskEnvironment.BuildAsync(TaskEnvironment.Current(), spec, Renderer()));

        // Assert
        Assert.Contains("exit code 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_script_is_a_configuration_error()
    {
        // Arrange
        var missing = Path.Combine(_folder.FullName, "missing.sh");
        var spec = new EnvironmentSpec { Source = At(missing, 2) };

        // Act
        var error = await Assert.ThrowsAsync<ConfigurationException>(() => TaskEnvironment.BuildAsync(TaskEnvironment.Current(), spec, Renderer()));

        // Assert
        Assert.StartsWith("tasks.yaml:2:5: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nul_separated_text_is_parsed_into_pairs()
    {
        // Arrange
        const string text = "A=1\0B=x=y\0\0C=\0=no-name\0no-equals\0D=line\nline\0A=again\0";

        // Act
        var pairs = TaskEnvironment.ParseNulSeparated(text);

        // Assert
        Assert.Equal(
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["A"] = "again",
                ["B"] = "x=y",
                ["C"] = string.Empty,
                ["D"] = "line\nline",
            },
            pairs);
    }

    [Fact]
    public void Empty_nul_separated_text_gives_nothing()
    {
        // Act / Assert
        Assert.Empty(TaskEnvironment.ParseNulSeparated(string.Empty));
    }

    [Fact]
    public void Changes_list_changed_added_and_removed_variables()
    {
        // Arrange
        var before = new Dictionary<string, string>(StringComparer.Ordinal) { ["SAME"] = "1", ["CHANGED"] = "a", ["REMOVED"] = "r" };
        var after = new Dictionary<string, string>(StringComparer.Ordinal) { ["SAME"] = "1", ["CHANGED"] = "b", ["ADDED"] = "n" };

        // Act
        var changes = TaskEnvironment.Changes(before, after);

        // Assert
        Assert.Equal(
            [KeyValuePair.Create("ADDED", (string?)"n"), KeyValuePair.Create("CHANGED", (string?)"b"), KeyValuePair.Create("REMOVED", (string?)null)],
            changes);
    }
}
