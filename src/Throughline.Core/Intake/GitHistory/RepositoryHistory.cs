using System.Text.RegularExpressions;

namespace Throughline.Intake.GitHistory;

/// <summary>How a change reached the branch.</summary>
public enum GitChangeKind
{
    /// <summary>A "Merge pull request #N from ..." commit (GitHub).</summary>
    PullRequestMerge,

    /// <summary>A commit whose subject ends in "(#N)": a squash merge, or a merge commit named after its pull request.</summary>
    NumberedSubject,

    /// <summary>A merge commit whose message says "See merge request GROUP/PROJECT!N" (GitLab).</summary>
    MergeRequest,

    /// <summary>Any other commit with one parent on the first-parent line: a change of its own.</summary>
    DirectPush,
}

/// <summary>A change read from the branch's first-parent line.</summary>
/// <param name="Id"><c>OWNER/NAME#N</c> for a pull request, <c>OWNER/NAME!N</c> for a GitLab merge request (as the GitLab
/// webhook names it), <c>OWNER/NAME@SHA</c> for a direct push.</param>
/// <param name="Kind">How it reached the branch.</param>
/// <param name="Sha">The commit on the line that merged it (or is it).</param>
/// <param name="Position">That commit's place on the first-parent line, 0 for the oldest.</param>
/// <param name="MergedAt">The commit's committer time.</param>
/// <param name="FirstCommitAt">The earliest author time of the commits the merge brought in; for a commit with one parent (a squash,
/// a direct push) its own author time, because the original commits of a squash are gone.</param>
/// <param name="Commits">The commits it brought in: 1 for a commit with one parent.</param>
/// <param name="Title">The pull request's title when the merge commit gives it, else the commit's subject.</param>
/// <param name="Author">The author of its first commit.</param>
public sealed record GitChange(
    string Id, GitChangeKind Kind, string Sha, int Position, DateTimeOffset MergedAt, DateTimeOffset FirstCommitAt, int Commits, string Title, string Author);

/// <summary>A release tag taken as a production deployment.</summary>
/// <param name="Tag">The tag's name.</param>
/// <param name="Sha">The commit it names.</param>
/// <param name="At">The tagger's time of an annotated tag, else the committer time of its commit.</param>
/// <param name="Latest">The latest change on the line its commit contains, or null when it contains none.</param>
/// <param name="Delivered">The changes its commit contains that no earlier tag (in time order) delivered, oldest first.</param>
public sealed record GitRelease(string Tag, string Sha, DateTimeOffset At, GitChange? Latest, IReadOnlyList<GitChange> Delivered);

/// <summary>A tag not taken, and why.</summary>
public sealed record SkippedTag(string Tag, string Reason);

/// <summary>What <c>import git</c> asks for.</summary>
/// <param name="Path">The repository's folder (a work tree or a bare repository).</param>
/// <param name="Repository">The repository's name in change ids and events: <c>OWNER/NAME</c>.</param>
/// <param name="Service">The service the tags deploy; null for the repository's name (which the model maps to its service).</param>
/// <param name="ReleaseTags">Which tags are releases: the whole name must match.</param>
/// <param name="Since">Only changes merged and tags made at or after it; null for the whole history.</param>
/// <param name="Branch">The branch whose first-parent line holds the changes; <c>HEAD</c> for the checked-out one.</param>
public sealed record GitImportOptions(string Path, string Repository, string? Service, Regex ReleaseTags, DateTimeOffset? Since, string Branch)
{
    /// <summary><c>MAJOR.MINOR</c> or <c>MAJOR.MINOR.PATCH</c>, with or without <c>v</c>, nothing after: no pre-releases, no <c>2.1.x</c> branch tags.</summary>
    public const string DefaultReleaseTags = @"v?\d+\.\d+(\.\d+)?";

    /// <summary>A release tag pattern (a .NET regular expression) that must match a tag's whole name; null with the reason when it is not one.</summary>
    public static Regex? TryReleaseTags(string pattern, out string? error)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        try
        {
            error = null;
            return new Regex($"^(?:{pattern})$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException exception)
        {
            error = exception.Message;
            return null;
        }
    }
}

/// <summary>What a repository's history says: its changes and releases, and what was left out.</summary>
/// <param name="Changes">The changes, oldest first.</param>
/// <param name="Releases">The release tags, in time order.</param>
/// <param name="SkippedTags">The tags not taken.</param>
/// <param name="OtherMerges">Merge commits on the line that are no change of their own (a maintenance branch merged back).</param>
/// <param name="EarlierChanges">Changes merged before <see cref="GitImportOptions.Since"/>, left out.</param>
/// <param name="CommitsRead">Every commit read: the branch's and the tags'.</param>
public sealed record RepositoryHistory(
    IReadOnlyList<GitChange> Changes, IReadOnlyList<GitRelease> Releases, IReadOnlyList<SkippedTag> SkippedTags, int OtherMerges, int EarlierChanges, int CommitsRead);

/// <summary>Reads a local repository's history with the git command line; the rules are <see cref="GitHistoryRules"/>'.</summary>
public static class GitHistoryReader
{
    /// <summary>The history of <paramref name="options"/>' branch and tags, or no history and git's message.</summary>
    /// <param name="options">What to read.</param>
    /// <param name="commitsRead">Told the number of commits read so far, every 10,000 commits of each pass (the line, then the graph); null for nothing.</param>
    /// <param name="cancellationToken">Stops git and the reading.</param>
    public static async Task<(RepositoryHistory? History, string? Error)> ReadAsync(
        GitImportOptions options, CancellationToken cancellationToken, IProgress<long>? commitsRead = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            var head = await GitGraph.ResolveAsync(options.Path, options.Branch, cancellationToken);
            var line = await GitGraph.ReadLineAsync(options.Path, head, commitsRead, cancellationToken);
            var graph = await GitGraph.ReadAsync(options.Path, head, commitsRead, cancellationToken);
            var tags = await GitGraph.ReadTagsAsync(options.Path, cancellationToken);
            return (GitHistoryRules.Apply(graph, line, tags, options), null);
        }
        catch (GitException exception)
        {
            return (null, exception.Message);
        }
    }
}
