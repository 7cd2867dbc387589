using System.CommandLine;
using Lute.Cli.Json;
using Lute.Contracts;
using Lute.Host.Plugins;
using Lute.Host.Protocol;
using Lute.Host.Running;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lute.Cli.Commands;

/// <summary><c>lute plugins</c>: lists every plugin found, what it provides, and why any failed to load.</summary>
internal static class PluginsCommand
{
    public static Command Create()
    {
        var json = CliJson.Option();
        var command = new Command("plugins", "Lists the plugins found, their versions, the contract version they were built against, what they provide, and why any failed to load")
        {
            PluginVerifyCommand.Create(),
        };
        command.Options.Add(json);
        command.SetAction(parsed =>
        {
            var config = LuteCommandLine.LoadConfiguration(parsed);
            using var host = PluginHost.Load(config, NullLoggerFactory.Instance);
            if (parsed.GetValue(json))
            {
                PluginsJson.Print(config, host);
                return host.DirectoryProblem is not null ? ExitCodes.BadInput : host.Plugins.Any(p => p.Error is not null) ? 1 : 0;
            }

            var output = Console.Out;
            output.WriteLine($"Plugin directory: {config.PluginDirectory}");
            output.WriteLine($"Host contracts: {ContractVersion.Text}; default executor: {config.DefaultExecutor}; configuration: {config.SourcePath ?? "embedded defaults"}");
            if (host.DirectoryProblem is { } problem)
            {
                Console.Error.WriteLine($"lute: error: {problem}; build the shipped plugins (./build.sh puts them in out/plugins), or set 'directory:' in plugins.yaml to the folder that holds them");
                return ExitCodes.BadInput;
            }

            output.WriteLine();
            output.WriteLine("Built in:");
            foreach (var (name, description) in CommunicatorSettings.BuiltIn)
            {
                output.WriteLine($"  {"communicator",-12} {name,-24} {description}");
            }

            if (host.Plugins.Count == 0)
            {
                output.WriteLine("No plugins found. Build them (./build.sh) or drop a plugin's folder into the plugin directory.");
            }

            foreach (var plugin in host.Plugins)
            {
                var state = plugin.Disabled ? "disabled" : plugin.Loaded ? "loaded" : "FAILED";
                output.WriteLine();
                output.WriteLine($"{plugin.Name} {plugin.Version ?? "?"} (contracts {plugin.ContractVersion ?? "?"}): {state}");
                if (plugin.Error is not null)
                {
                    output.WriteLine($"  error: {plugin.Error}");
                }

                if (plugin.Sha256 is not null)
                {
                    output.WriteLine($"  sha256: {plugin.Sha256} (pin it in plugins.yaml)");
                }

                foreach (var component in plugin.Components.OrderBy(c => c.Kind).ThenBy(c => c.Name, StringComparer.Ordinal))
                {
                    output.WriteLine($"  {component.Kind.ToString().ToLowerInvariant(),-12} {component.Name,-24} {component.Description}");
                }

                foreach (var warning in plugin.Warnings)
                {
                    output.WriteLine($"  warning: {warning}");
                }
            }

            return host.Plugins.Any(p => p.Error is not null) ? 1 : 0;
        });
        return command;
    }
}
