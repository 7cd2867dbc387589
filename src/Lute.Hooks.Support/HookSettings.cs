using System.Collections;
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using Lute.Contracts;
using Microsoft.Extensions.Configuration;

namespace Lute.Hooks.Support;

/// <summary>
/// Binds a hook's settings from plugins.yaml to an options type and validates them, so a hook pack refuses a missing
/// or malformed setting when it is built, before the task is launched. Keys are the YAML keys (nested maps joined
/// with <c>:</c>); name a property's key with <see cref="ConfigurationKeyNameAttribute"/>; validate with
/// <see cref="System.ComponentModel.DataAnnotations"/> attributes and <see cref="IValidatableObject"/>.
/// </summary>
public static class HookSettings
{
    /// <summary>Binds and validates the options of a hook.</summary>
    /// <typeparam name="TOptions">The options type: a class with settable properties and a parameterless constructor.</typeparam>
    /// <param name="settings">The hook's settings (its binding's over its plugin's).</param>
    /// <returns>The validated options.</returns>
    /// <exception cref="HookSettingsException">An unknown key, a value of the wrong form, or a failed validation; the message names the key.</exception>
    public static TOptions Bind<TOptions>(PluginSettings settings)
        where TOptions : class, new()
    {
        ArgumentNullException.ThrowIfNull(settings);

        // Type converters are found by type name; inside a plugin's load context the names resolve only when the
        // plugin's context is the contextual one.
        using var scope = AssemblyLoadContext.EnterContextualReflection(typeof(TOptions).Assembly);
        foreach (var (key, value) in settings.Values.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Check(typeof(TOptions), key.Split(':'), 0, key, value);
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Values!).Build();
        TOptions options;
        try
        {
            options = configuration.Get<TOptions>() ?? new TOptions();
        }
        catch (InvalidOperationException e)
        {
            // Every value was checked above; what remains is a rule of the binder itself. Its message may quote a
            // value, so only the cause's type is shown.
            throw new HookSettingsException("(settings)", $"cannot be read into {typeof(TOptions).Name}: {e.InnerException?.GetType().Name ?? e.GetType().Name}");
        }

        Validate(options, string.Empty);
        return options;
    }

    private static void Check(Type type, string[] path, int index, string key, string value)
    {
        if (index == path.Length)
        {
            CheckValue(type, key, value);
            return;
        }

        var segment = path[index];
        if (ElementType(type) is { } element)
        {
            if (!int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                throw new HookSettingsException(Join(path, index), "must be a list");
            }

            Check(element, path, index + 1, key, value);
            return;
        }

        if (DictionaryValueType(type) is { } valueType)
        {
            Check(valueType, path, index + 1, key, value);
            return;
        }

        if (IsScalar(type))
        {
            throw new HookSettingsException(Join(path, index - 1), "must be a single value, not a map or a list");
        }

        var property = Properties(type).FirstOrDefault(p => string.Equals(KeyOf(p), segment, StringComparison.OrdinalIgnoreCase))
            ?? throw new HookSettingsException(Join(path, index), $"is not a known setting; known here: {string.Join(", ", Properties(type).Select(KeyOf))}");
        Check(property.PropertyType, path, index + 1, key, value);
    }

    private static void CheckValue(Type type, string key, string value)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (ElementType(target) is not null || DictionaryValueType(target) is not null)
        {
            if (value.Length == 0)
            {
                return; // an empty list or map
            }

            throw new HookSettingsException(key, "must be a list or a map, not a single value");
        }

        var converter = TypeDescriptor.GetConverter(target);
        if (!IsScalar(target) && !converter.CanConvertFrom(typeof(string)))
        {
            if (value.Length == 0)
            {
                return; // an empty map
            }

            throw new HookSettingsException(key, $"must be a map of settings ({string.Join(", ", Properties(target).Select(KeyOf))})");
        }

        if (target == typeof(string))
        {
            return;
        }

        try
        {
            _ = converter.ConvertFromInvariantString(value);
        }
        catch (Exception e) when (e is FormatException or NotSupportedException or ArgumentException or OverflowException)
        {
            var problem = e is FormatException { InnerException: null } && e.Message.StartsWith("must", StringComparison.Ordinal)
                ? e.Message
                : $"must be {Describe(target)}, not '{value}'";
            throw new HookSettingsException(key, problem);
        }
    }

    private static void Validate(object options, string prefix)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            var first = results[0];
            var member = first.MemberNames.FirstOrDefault();
            var property = member is null ? null : options.GetType().GetProperty(member);
            var key = prefix + (property is null ? member ?? "(settings)" : KeyOf(property));
            throw new HookSettingsException(key, Reword(first.ErrorMessage, member, key));
        }

        foreach (var property in Properties(options.GetType()))
        {
            var type = property.PropertyType;
            if (IsScalar(type) || type == typeof(SecretSource) || property.GetValue(options) is not { } value)
            {
                continue;
            }

            if (value is IEnumerable items and not string)
            {
                var i = 0;
                foreach (var item in items)
                {
                    if (item is not null && !IsScalar(item.GetType()))
                    {
                        Validate(item, $"{prefix}{KeyOf(property)}:{i.ToString(CultureInfo.InvariantCulture)}:");
                    }

                    i++;
                }

                continue;
            }

            Validate(value, $"{prefix}{KeyOf(property)}:");
        }
    }

    /// <summary>DataAnnotations messages name the property ("The Url field is required."); users know the key.</summary>
    private static string Reword(string? message, string? member, string key)
    {
        var text = message ?? "is not valid";
        if (member is not null)
        {
            text = text.Replace($"The {member} field ", string.Empty, StringComparison.Ordinal)
                .Replace($"The field {member} ", string.Empty, StringComparison.Ordinal)
                .Replace(member, $"'{key}'", StringComparison.Ordinal);
        }

        return text.TrimEnd('.');
    }

    /// <summary>The key users write: the property's <see cref="ConfigurationKeyNameAttribute"/>, else its name in lower case.</summary>
    private static string KeyOf(PropertyInfo property) =>
        property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name.ToLowerInvariant();

    private static IEnumerable<PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.GetIndexParameters().Length == 0);

    private static bool IsScalar(Type type)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        return target.IsPrimitive || target.IsEnum || target == typeof(string) || target == typeof(decimal) || target == typeof(Duration)
               || target == typeof(Uri) || target == typeof(TimeSpan) || target == typeof(DateTimeOffset) || target == typeof(Guid);
    }

    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        return type.IsGenericType && type.GetGenericTypeDefinition() is var definition
               && (definition == typeof(List<>) || definition == typeof(IList<>) || definition == typeof(IReadOnlyList<>)
                   || definition == typeof(IEnumerable<>) || definition == typeof(ICollection<>))
            ? type.GetGenericArguments()[0]
            : null;
    }

    private static Type? DictionaryValueType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() is var definition
        && (definition == typeof(Dictionary<,>) || definition == typeof(IDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>))
        && type.GetGenericArguments()[0] == typeof(string)
            ? type.GetGenericArguments()[1]
            : null;

    private static string Describe(Type type) => type switch
    {
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(int) || type == typeof(long) => "a whole number",
        _ when type == typeof(double) || type == typeof(decimal) => "a number",
        _ when type == typeof(Uri) => "a URL",
        _ when type.IsEnum => $"one of {string.Join(", ", Enum.GetNames(type).Select(n => n.ToLowerInvariant()))}",
        _ => $"a {type.Name}",
    };

    private static string Join(string[] path, int last) => string.Join(':', path.Take(last + 1));
}
