using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
using Lute.Contracts;

namespace Lute.Host.Plugins;

/// <summary>Reads a plugin assembly's metadata without loading it: its version and the contract version it was built against.</summary>
internal static class PluginInspector
{
    public sealed record Facts(string Version, Version? Contracts);

    /// <exception cref="PluginException">The file is not a .NET assembly.</exception>
    public static Facts Read(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata)
            {
                throw new PluginException($"'{path}' is not a .NET assembly (it has no .NET metadata)");
            }

            var reader = pe.GetMetadataReader();
            if (!reader.IsAssembly)
            {
                throw new PluginException($"'{path}' is a .NET module, not an assembly");
            }

            var version = reader.GetAssemblyDefinition().Version.ToString();
            Version? contracts = null;
            foreach (var handle in reader.AssemblyReferences)
            {
                var reference = reader.GetAssemblyReference(handle);
                if (reader.StringComparer.Equals(reference.Name, typeof(IExecutor).Assembly.GetName().Name!))
                {
                    contracts = reference.Version;
                }
            }

            return new Facts(version, contracts);
        }
        catch (BadImageFormatException e)
        {
            throw new PluginException($"'{path}' is not a .NET assembly: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            throw new PluginException($"'{path}' is not a .NET assembly: {e.Message}", e);
        }
    }

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
