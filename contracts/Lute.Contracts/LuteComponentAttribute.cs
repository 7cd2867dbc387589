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
}
