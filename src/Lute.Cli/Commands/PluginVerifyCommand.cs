using System.CommandLine;
using Lute.Contracts;
using Lute.Host.Logging;
using Lute.Host.Plugins;
using Lute.Host.Running;

namespace Lute.Cli.Commands;

/// <summary>
/// <c>lute plugins verify DIR</c>: loads one plugin folder as a run would and reports what a plugin's author or a
/// facility's CI needs: contract version, components, SHA-256 to pin, missing dependencies, assemblies lute has too.
/// Exit code 0 when it passes, 1 when it does not, 2 when DIR is not a plugin folder.
/// </summary>
internal static class PluginVerifyCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("plugin-folder") { Description = "the plugin's folder (named after its main assembly)" };
        var command = new Command("verify", "Loads one plugin folder as a run would and reports its contract version, components, SHA-256, missing dependencies and assemblies lute has too; exit code 1 when it would not work")
        {
            folder,
        };
        command.SetAction(parsed =>
        {
            var config = LuteCommandLine.LoadConfiguration(parsed);
            var result = PluginVerifier.Verify(parsed.GetValue(folder)!, config, AppContext.BaseDirectory);
            Write(Console.Out, result);
            return result.Passed ? ExitCodes.Completed : ExitCodes.Failed;
        });
        return command;
    }

    /// <summary>Each component's settings schema: key, type, default or required, description.</summary>
    private static void WriteSchemas(TextWriter output, PluginVerification result)
    {
        output.WriteLine("Settings schema:");
        foreach (var (component, fields) in result.Schemas.OrderBy(s => s.Key.Kind).ThenBy(s => s.Key.Name, StringComparer.Ordinal))
        {
            var what = $"  {component.Kind.ToString().ToLowerInvariant()} {component.Name}";
            if (fields is null)
            {
                output.WriteLine($"{what}: declares none (LuteComponent(Settings = typeof(...)), contracts 1.3)");
                continue;
            }

            output.WriteLine(fields.Count == 0 ? $"{what}: takes no settings" : $"{what}:");
            foreach (var field in fields)
            {
                var given = field.Required ? "required" : field.Default is null ? "optional" : "default " + field.Default;
                // A plugin's text: escaped, so that it cannot forge lines of this report.
                output.WriteLine(ControlCharacters.Escape($"    {field.Key,-22} {field.Type,-28} {given,-22} {field.Description}".TrimEnd()));
            }
        }
    }

    private static void Write(TextWriter output, PluginVerification result)
    {
        var plugin = result.Plugin;
        output.WriteLine($"Plugin: {plugin.Name} {plugin.Version ?? "?"} in {plugin.Directory}");
        output.WriteLine($"Contracts: built against {plugin.ContractVersion ?? "?"}; this lute implements {ContractVersion.Text}");
        output.WriteLine($"Loads: {(plugin.Error is null ? "yes" : "no: " + plugin.Error)}");
        output.WriteLine($"SHA-256: {result.Sha256}");
        output.WriteLine($"  pin it in plugins.yaml: plugins: [ {{ name: {plugin.Name}, sha256: {result.Sha256} }} ]");
        output.WriteLine("Components:");
        foreach (var component in plugin.Components.OrderBy(c => c.Kind).ThenBy(c => c.Name, StringComparer.Ordinal))
        {
            output.WriteLine($"  {component.Kind.ToString().ToLowerInvariant(),-12} {component.Name,-24} {component.Description}");
        }

        WriteSchemas(output, result);
        output.WriteLine(result.Settings.Count == 0 ? "Settings: none (plugin.yaml and plugins.yaml set none)" : "Settings (plugin.yaml, then plugins.yaml):");
        foreach (var (key, value) in result.Settings.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  {key}: {value}");
        }

        output.WriteLine(result.Missing.Count == 0 ? "Missing dependencies: none" : "Missing dependencies: " + string.Join(", ", result.Missing));
        foreach (var overlap in result.Overlaps)
        {
            var how = overlap.Shared ? "shared: lute's copy is used" : "also in lute: the plugin keeps its own copy";
            output.WriteLine($"Also in lute: {overlap.File} {overlap.PluginVersion} (lute's {overlap.HostVersion}; {how})");
        }

        foreach (var warning in plugin.Warnings)
        {
            output.WriteLine($"Warning: {warning}");
        }

        if (result.Note is not null)
        {
            output.WriteLine($"Note: {result.Note}");
        }

        foreach (var problem in result.Problems)
        {
            output.WriteLine($"Problem: {problem}");
        }

        output.WriteLine(result.Passed ? "Result: OK" : $"Result: FAILED ({result.Problems.Count} problem(s))");
    }
}
