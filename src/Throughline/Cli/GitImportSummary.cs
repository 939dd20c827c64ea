using System.Text;
using Throughline.Intake.GitHistory;

namespace Throughline.Cli;

/// <summary>What <c>import git</c> found, for the terminal: changes by kind, tags taken and skipped (and why).</summary>
internal static class GitImportSummary
{
    public static string Write(RepositoryHistory history, GitImportOptions options)
    {
        var text = new StringBuilder();
        text.AppendLine($"{options.Repository}: {history.CommitsRead:N0} commits read, {history.Changes.Count:N0} changes on the first-parent line of {options.Branch}:");
        foreach (var (kind, label) in Kinds)
        {
            text.AppendLine($"  {history.Changes.Count(c => c.Kind == kind),6:N0} {label}");
        }

        text.AppendLine($"  {history.OtherMerges,6:N0} other merges, no change of their own (a branch merged back)");
        var twice = history.Changes.GroupBy(c => c.Id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (twice.Count > 0)
        {
            // One id, two commits (a pull request reverted and merged again, a number typed by hand): the timeline keeps the first merge.
            text.AppendLine($"  {twice.Count,6:N0} change ids on more than one commit, one change each (its first merge): {string.Join(", ", twice.Take(10))}{(twice.Count > 10 ? ", ..." : "")}");
        }

        if (history.EarlierChanges > 0)
        {
            text.AppendLine($"  {history.EarlierChanges,6:N0} changes merged before --since, left out");
        }

        var empty = history.Releases.Where(r => r.Delivered.Count == 0).Select(r => r.Tag).ToList();
        var delivered = history.Releases.Sum(r => r.Delivered.Count);
        text.AppendLine($"{history.Releases.Count:N0} tags taken as production deployments of {options.Service ?? options.Repository}, delivering {delivered:N0} changes" +
            (empty.Count > 0 ? $"; {empty.Count:N0} with nothing an earlier tag had not delivered: {string.Join(", ", empty)}" : ""));
        if (history.Changes.Count > delivered)
        {
            text.AppendLine($"  {history.Changes.Count - delivered,6:N0} changes in no release tag yet");
        }

        text.AppendLine($"{history.SkippedTags.Count:N0} tags skipped:");
        foreach (var reason in history.SkippedTags.GroupBy(t => t.Reason, StringComparer.Ordinal))
        {
            text.AppendLine($"  {reason.Count(),6:N0} {reason.Key}: {string.Join(", ", reason.Select(t => t.Tag))}");
        }

        return text.ToString();
    }

    private static readonly (GitChangeKind Kind, string Label)[] Kinds =
    [
        (GitChangeKind.PullRequestMerge, "pull requests merged with \"Merge pull request #N\""),
        (GitChangeKind.NumberedSubject, "pull requests whose subject ends in \"(#N)\" (squash merges, or merge commits named after them)"),
        (GitChangeKind.MergeRequest, "merge requests (\"See merge request G/P!N\")"),
        (GitChangeKind.DirectPush, "direct pushes"),
    ];
}
