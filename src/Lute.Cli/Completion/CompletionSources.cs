using System.CommandLine;
using System.CommandLine.Completions;
using System.Globalization;
using Lute.Cli.Commands;
using Lute.Contracts;
using Lute.Host.Configuration;
using Lute.Host.Store;

namespace Lute.Cli.Completion;

/// <summary>
/// What a shell may complete beyond verbs and options: run ids from the result store, SLURM job ids recorded with
/// runs, and the task names of the task file given earlier on the line. A completion never fails: a missing store, a
/// broken task file or a bad configuration completes nothing.
/// </summary>
internal static class CompletionSources
{
    private const int RecentRuns = 200;

    /// <summary>Completes <paramref name="argument"/> with the ids of the store's recent runs, newest first.</summary>
    public static void RunIds(Argument<long> argument) =>
        argument.CompletionSources.Add(context => Recent(context, run => [run.Id.ToString(CultureInfo.InvariantCulture)]));

    /// <summary>Completes <paramref name="argument"/> with the SLURM job ids recorded with the store's recent runs.</summary>
    public static void SlurmJobs(Argument<string> argument) =>
        argument.CompletionSources.Add(context => Recent(context, run =>
            new[] { "slurm_job_id", "slurm_allocation" }.Select(key => run.Details.GetValueOrDefault(key)).OfType<string>()));

    /// <summary>Completes <paramref name="task"/> with the task names of the file <paramref name="file"/> holds.</summary>
    public static void TaskNames(Argument<string?> task, Argument<string> file) =>
        task.CompletionSources.Add(context =>
        {
            try
            {
                return context.ParseResult.GetValue(file) is { Length: > 0 } path && File.Exists(path)
                    ? Matching(context, TaskFileLoader.Load(path).Tasks.Select(t => t.Name))
                    : [];
            }
            catch (Exception e) when (e is LuteException or IOException or UnauthorizedAccessException)
            {
                return [];
            }
        });

    private static IEnumerable<CompletionItem> Recent(CompletionContext context, Func<RunRecord, IEnumerable<string>> values)
    {
        try
        {
            var config = LuteCommandLine.LoadConfiguration(context.ParseResult);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            return ReadAsync(config, values, timeout.Token).GetAwaiter().GetResult() is { } found ? Matching(context, found) : [];
        }
        catch (Exception e) when (e is LuteException or IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            return [];
        }
    }

    private static async Task<IReadOnlyList<string>?> ReadAsync(
        HostConfiguration config, Func<RunRecord, IEnumerable<string>> values, CancellationToken cancellationToken)
    {
        await using var store = await Stores.OpenExistingAsync(config, cancellationToken).ConfigureAwait(false);
        if (store is null)
        {
            return null;
        }

        var runs = await store.HistoryAsync(RecentRuns, task: null, cancellationToken).ConfigureAwait(false);
        return runs.SelectMany(values).Distinct(StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<CompletionItem> Matching(CompletionContext context, IEnumerable<string> values) =>
        values.Where(v => v.StartsWith(context.WordToComplete, StringComparison.Ordinal))
              .Select(v => new CompletionItem(v, sortText: null));
}
