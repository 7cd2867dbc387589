using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
using Lute.Contracts;

namespace Lute.Host.Plugins;

/// <summary>
/// Reads a plugin assembly's metadata without loading it: its version, the contract version it was built against and
/// the names its <see cref="LuteComponentAttribute"/>s declare.
/// </summary>
internal static class PluginInspector
{
    public sealed record Facts(string Version, Version? Contracts, IReadOnlyList<string> ComponentNames);

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

            return new Facts(version, contracts, ComponentNames(reader));
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

    /// <summary>The first argument (the name) of every [LuteComponent] in the assembly.</summary>
    private static List<string> ComponentNames(MetadataReader reader)
    {
        var names = new List<string>();
        foreach (var handle in reader.CustomAttributes)
        {
            var attribute = reader.GetCustomAttribute(handle);
            if (attribute.Constructor.Kind != HandleKind.MemberReference)
            {
                continue;
            }

            var constructor = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
            if (constructor.Parent.Kind != HandleKind.TypeReference)
            {
                continue;
            }

            var type = reader.GetTypeReference((TypeReferenceHandle)constructor.Parent);
            if (!reader.StringComparer.Equals(type.Name, nameof(LuteComponentAttribute))
                || !reader.StringComparer.Equals(type.Namespace, typeof(LuteComponentAttribute).Namespace!))
            {
                continue;
            }

            // The value blob: the prolog 0x0001, then the constructor's string argument.
            var blob = reader.GetBlobReader(attribute.Value);
            if (blob.Length > 2 && blob.ReadUInt16() == 1 && blob.ReadSerializedString() is { } name)
            {
                names.Add(name);
            }
        }

        return names;
    }

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
