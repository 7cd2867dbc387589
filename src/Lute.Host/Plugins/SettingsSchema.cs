using System.Collections;
using System.Globalization;
using System.Reflection;

namespace Lute.Host.Plugins;

/// <summary>One setting a component declares (contracts 1.3, <c>LuteComponentAttribute.Settings</c>).</summary>
/// <param name="Key">The key users write; nested settings joined with <c>:</c> (<c>http:retries</c>).</param>
/// <param name="Type">What the value is, in words (<c>text</c>, <c>whole number 0..10</c>, <c>list of url</c>).</param>
/// <param name="Default">The default as text, or null when there is none.</param>
/// <param name="Required">True when the setting must be given.</param>
/// <param name="Description">What it does, from the property's <c>[Description]</c>, or null.</param>
internal sealed record SettingField(string Key, string Type, string? Default, bool Required, string? Description);

/// <summary>
/// Describes a settings type by reflection, with the rules <c>HookSettings.Bind</c> binds by: a property's
/// <c>ConfigurationKeyName</c>, else its name in lower case; a class of settings is a group whose keys nest. Attributes
/// are read by name, so a plugin's own copy of an attribute's assembly describes as well as lute's.
/// </summary>
internal static class SettingsSchema
{
    private const int MaxDepth = 4;

    /// <summary>The settings of <paramref name="type"/>, in declaration order, groups expanded.</summary>
    public static IReadOnlyList<SettingField> Describe(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var fields = new List<SettingField>();
        Add(type, string.Empty, Create(type), fields, 0);
        return fields;
    }

    private static void Add(Type type, string prefix, object? defaults, List<SettingField> fields, int depth)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                     .Where(p => p.CanWrite && p.GetIndexParameters().Length == 0).OrderBy(p => p.MetadataToken))
        {
            var key = prefix + KeyOf(property);
            var target = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var value = defaults is null ? null : property.GetValue(defaults);
            if (IsGroup(target) && depth < MaxDepth)
            {
                Add(target, key + ":", value ?? Create(target), fields, depth + 1);
                continue;
            }

            fields.Add(new SettingField(key, TypeText(target) + RangeText(property), DefaultText(value), Has(property, "System.ComponentModel.DataAnnotations.RequiredAttribute"), Argument(property, "System.ComponentModel.DescriptionAttribute")));
        }
    }

    private static object? Create(Type type)
    {
        try
        {
            return type.GetConstructor(Type.EmptyTypes) is null ? null : Activator.CreateInstance(type);
        }
        catch (TargetInvocationException)
        {
            return null; // no defaults to show; the keys still are
        }
    }

    private static string KeyOf(PropertyInfo property) =>
        Argument(property, "Microsoft.Extensions.Configuration.ConfigurationKeyNameAttribute") ?? property.Name.ToLowerInvariant();

    /// <summary>A class of settings (not a value with a converter, a collection or a scalar) nests its keys.</summary>
    private static bool IsGroup(Type type) =>
        type.IsClass && type != typeof(string) && type != typeof(Uri) && !typeof(IEnumerable).IsAssignableFrom(type)
        && !Has(type, "System.ComponentModel.TypeConverterAttribute") && type.GetConstructor(Type.EmptyTypes) is not null;

    private static string TypeText(Type type)
    {
        if (type.IsArray)
        {
            return "list of " + TypeText(type.GetElementType()!);
        }

        if (type.IsGenericType && type.GetGenericArguments() is var arguments)
        {
            var definition = type.GetGenericTypeDefinition();
            if (arguments.Length == 2 && typeof(IEnumerable).IsAssignableFrom(type))
            {
                return "map of " + TypeText(arguments[1]);
            }

            if (arguments.Length == 1 && typeof(IEnumerable).IsAssignableFrom(type) && definition != typeof(Nullable<>))
            {
                return "list of " + TypeText(arguments[0]);
            }
        }

        return type switch
        {
            _ when type == typeof(string) => "text",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(int) || type == typeof(long) || type == typeof(short) => "whole number",
            _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "number",
            _ when type == typeof(Uri) => "url",
            _ when type == typeof(TimeSpan) => "duration",
            _ when type.IsEnum => string.Join(" | ", Enum.GetNames(type).Select(n => n.ToLowerInvariant())),
            { Name: "Duration" } => "duration (500ms, 30s, 5m)",
            { Name: "SecretSource" } => "secret ({ env: VARIABLE } or { file: PATH })",
            _ => type.Name.ToLowerInvariant(),
        };
    }

    private static string RangeText(PropertyInfo property)
    {
        var range = property.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.FullName == "System.ComponentModel.DataAnnotations.RangeAttribute");
        return range is { ConstructorArguments: [var minimum, var maximum, ..] }
            ? string.Create(CultureInfo.InvariantCulture, $" {minimum.Value}..{maximum.Value}")
            : string.Empty;
    }

    private static string? DefaultText(object? value) => value switch
    {
        null => null,
        string { Length: 0 } => null,
        string text => text,
        bool flag => flag ? "true" : "false",
        Enum choice => choice.ToString().ToLowerInvariant(),
        IEnumerable items => items.Cast<object?>().ToList() is { Count: > 0 } list ? string.Join(", ", list) : null,
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ when value.GetType().IsValueType || value.GetType().GetMethod(nameof(ToString), Type.EmptyTypes)?.DeclaringType != typeof(object) => value.ToString(),
        _ => null,
    };

    private static bool Has(MemberInfo member, string attribute) =>
        member.GetCustomAttributesData().Any(a => a.AttributeType.FullName == attribute);

    private static string? Argument(MemberInfo member, string attribute) =>
        member.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.FullName == attribute) is { ConstructorArguments: [var first, ..] }
            ? first.Value as string
            : null;
}
