namespace Lute.Contracts;

/// <summary>
/// Names a plugin component (an <see cref="IExecutor"/>, <see cref="IHook"/>, <see cref="ITasklet"/> or
/// <see cref="ICommunicator"/>). Task files and plugins.yaml refer to components by this name, for example
/// <c>executor: local</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class LuteComponentAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="name">The name users write in YAML; lower case with dots or dashes by convention.</param>
    public LuteComponentAttribute(string name) => Name = name;

    /// <summary>The name users write in YAML.</summary>
    public string Name { get; }

    /// <summary>One line that tells users what the component does; shown by <c>lute plugins</c>.</summary>
    public string? Description { get; init; }

    /// <summary>
    /// The type the component's settings bind to (since contracts 1.3): a class with settable properties and a
    /// parameterless constructor, whose property initialisers are the defaults. <c>lute plugins verify</c> shows its
    /// keys (a property's <c>ConfigurationKeyName</c>, else its name in lower case), types, defaults and
    /// <see cref="System.ComponentModel.DescriptionAttribute"/>s. Null when the component declares none.
    /// </summary>
    public Type? Settings { get; init; }
}
