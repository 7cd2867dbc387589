namespace Lute.Contracts;

/// <summary>
/// An executor that checks a task's resources before anything is launched (since contracts 1.3). lute calls it when
/// it prepares a run and in <c>lute validate</c>, so a resource the executor does not take, or a value it cannot use,
/// is bad input at its place in the task file rather than a launch failure. An executor that does not implement it
/// gets the resources unchecked at launch, as before.
/// </summary>
public interface IResourceCheck
{
    /// <summary>Checks the task's resources (rendered: templates resolved).</summary>
    /// <param name="resources">The task's resources by name.</param>
    /// <param name="settings">The executor's settings (its plugin's).</param>
    /// <returns>The problems, one per resource at most; empty when the resources are valid.</returns>
    IReadOnlyList<ResourceProblem> CheckResources(IReadOnlyDictionary<string, string> resources, PluginSettings settings);
}

/// <summary>A resource an executor cannot use (since contracts 1.3).</summary>
/// <param name="Resource">The resource's name, as the task file writes it.</param>
/// <param name="Problem">What is wrong, in one line (for example <c>must be a whole number above 0, not 'x'</c>).</param>
/// <param name="Fix">What to write instead, in one line.</param>
public sealed record ResourceProblem(string Resource, string Problem, string Fix);
