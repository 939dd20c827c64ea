using System.Globalization;
using System.Text.RegularExpressions;

namespace Throughline.Intake.GitHistory;

/// <summary>
/// The rules that turn a branch's history into changes and its tags into production deployments (docs/import.md).
/// </summary>
/// <remarks>
/// Changes, on the first-parent line of the branch, oldest first: "Merge pull request #N from ...", a message with "See merge
/// request G/P!N", or a subject ending in "(#N)" is that pull or merge request, merged at its committer time; its first commit
/// is the earliest author time of the commits it brought in (reachable from its other parents, not from its first), or its own
/// author time when it has one parent. Any other commit with one parent (or none) is a direct push, a change of its own; any
/// other merge is no change. A release tag delivers the changes its commit contains (a prefix of the line: the line's commits
/// it reaches) that no earlier tag, in time order, delivered; a tag on a maintenance branch therefore delivers only what the
/// branch holds of the line, often nothing new.
/// </remarks>
internal static partial class GitHistoryRules
{
    public static RepositoryHistory Apply(GitGraph graph, IReadOnlyList<LineCommit> line, IReadOnlyList<GitTag> tags, GitImportOptions options)
    {
        // Both were read from one resolved commit, so every commit of the line is in the graph.
        var numbers = line.Select(c => graph.TryNumber(c.Sha, out var n) ? n : throw new InvalidOperationException($"Commit {c.Sha} of the line is not in the graph.")).ToArray();
        var position = new int[graph.Count];
        Array.Fill(position, -1);
        foreach (var commit in line)
        {
            position[numbers[commit.Position]] = commit.Position;
        }

        var changes = new List<GitChange>();
        var atPosition = new GitChange?[line.Count];
        var visited = new bool[graph.Count];
        int otherMerges = 0, earlier = 0;
        foreach (var commit in line)
        {
            var number = numbers[commit.Position];
            visited[number] = true;
            var (broughtIn, earliest, earliestAuthor) = BroughtIn(graph, number, visited);
            var change = Classify(commit, options.Repository, broughtIn, earliest, earliestAuthor);
            if (change is null)
            {
                otherMerges++;
            }
            else if (options.Since is { } since && change.MergedAt < since)
            {
                earlier++;
            }
            else
            {
                changes.Add(change);
                atPosition[commit.Position] = change;
            }
        }

        var (releases, skipped) = Releases(graph, tags, options, LinePositions(graph, position), atPosition);
        return new RepositoryHistory(changes, releases, skipped, otherMerges, earlier, graph.Count);
    }

    /// <summary>The commits a line commit brought in: reachable from its other parents and from no earlier line commit.</summary>
    /// <remarks><paramref name="visited"/> holds every ancestor of the line commits before it, so each commit is walked once over the whole line.</remarks>
    private static (int Count, DateTimeOffset? Earliest, string? Author) BroughtIn(GitGraph graph, int commit, bool[] visited)
    {
        var parents = graph.Parents(commit);
        var stack = new Stack<int>(parents.Skip(1));
        int count = 0;
        DateTimeOffset? earliest = null;
        string? author = null;
        while (stack.TryPop(out var next))
        {
            if (visited[next])
            {
                continue;
            }

            visited[next] = true;
            count++;
            if (earliest is null || graph.AuthoredAt(next) < earliest)
            {
                (earliest, author) = (graph.AuthoredAt(next), graph.Author(next));
            }

            foreach (var parent in graph.Parents(next))
            {
                stack.Push(parent);
            }
        }

        return (count, earliest, author);
    }

    private static GitChange? Classify(LineCommit commit, string repository, int broughtIn, DateTimeOffset? earliest, string? earliestAuthor)
    {
        var subject = commit.Subject;
        var merge = commit.Parents.Count > 1;
        (GitChangeKind? Kind, string? Id) classified = PullRequestMerge().Match(subject) is { Success: true } pull ? (GitChangeKind.PullRequestMerge, $"{repository}#{pull.Groups["n"].Value}")
            : MergeRequest().Match(commit.Message) is { Success: true } request ? (GitChangeKind.MergeRequest, $"{repository}!{request.Groups["n"].Value}")
            : NumberedSubject().Match(subject) is { Success: true } numbered ? (GitChangeKind.NumberedSubject, $"{repository}#{numbered.Groups["n"].Value}")
            : !merge ? (GitChangeKind.DirectPush, $"{repository}@{commit.Sha}")
            : (null, null);
        if (classified is not (GitChangeKind kind, string id))
        {
            return null;
        }

        // A merge that brought nothing in (its branch was already merged) started when it was written.
        var (firstCommitAt, author, commits) = merge && earliest is { } first ? (first, earliestAuthor!, broughtIn) : (commit.AuthoredAt, commit.Author, 1);
        return new GitChange(id, kind, commit.Sha, commit.Position, commit.CommittedAt, firstCommitAt, commits, Title(commit, kind), author);
    }

    /// <summary>A merge commit's title is its pull request's: the message's first other line; any other commit's is its subject.</summary>
    private static string Title(LineCommit commit, GitChangeKind kind)
    {
        if (kind is GitChangeKind.PullRequestMerge or GitChangeKind.MergeRequest)
        {
            var body = commit.Message.Split('\n').Skip(1).Select(l => l.Trim())
                .FirstOrDefault(l => l.Length > 0 && !l.StartsWith("See merge request", StringComparison.Ordinal));
            if (body is not null)
            {
                return body;
            }
        }

        return commit.Subject;
    }

    /// <summary>For each commit, the highest position of a line commit it reaches (-1 for none): the prefix of the line it contains.</summary>
    private static int[] LinePositions(GitGraph graph, int[] position)
    {
        // Commits are numbered in topological order, children first: from the last number back, parents come before children.
        var reaches = new int[graph.Count];
        for (var commit = graph.Count - 1; commit >= 0; commit--)
        {
            var highest = position[commit];
            if (highest < 0)
            {
                foreach (var parent in graph.Parents(commit))
                {
                    highest = Math.Max(highest, reaches[parent]);
                }
            }

            reaches[commit] = highest;
        }

        return reaches;
    }

    private static (List<GitRelease>, List<SkippedTag>) Releases(
        GitGraph graph, IReadOnlyList<GitTag> tags, GitImportOptions options, int[] reaches, GitChange?[] atPosition)
    {
        var skipped = new List<SkippedTag>();
        var taken = new List<(GitTag Tag, int Commit, DateTimeOffset At)>();
        foreach (var tag in tags)
        {
            if (tag.CommitSha is null || !graph.TryNumber(tag.CommitSha, out var commit))
            {
                skipped.Add(new SkippedTag(tag.Name, $"it names a {tag.ObjectType}, not a commit"));
                continue;
            }

            var at = tag.TaggedAt ?? graph.CommittedAt(commit);
            if (!options.ReleaseTags.IsMatch(tag.Name))
            {
                skipped.Add(new SkippedTag(tag.Name, "not a release: the name does not match the release tag pattern"));
            }
            else if (options.Since is { } since && at < since)
            {
                skipped.Add(new SkippedTag(tag.Name, string.Create(CultureInfo.InvariantCulture, $"made {at:yyyy-MM-dd}, before --since")));
            }
            else
            {
                taken.Add((tag, commit, at));
            }
        }

        // The latest change at or before each position, so a tag's deployment names the change that carries its prefix of the line.
        var latest = new GitChange?[atPosition.Length];
        for (var i = 0; i < atPosition.Length; i++)
        {
            latest[i] = atPosition[i] ?? (i > 0 ? latest[i - 1] : null);
        }

        var releases = new List<GitRelease>();
        var deliveredUpTo = -1;
        // The timeline orders deployments by time, then source, then id: the same order here, so both deliver alike.
        foreach (var (tag, commit, at) in taken.OrderBy(t => t.At).ThenBy(t => GitEvents.DeploymentId(t.Tag.Name, t.Tag.CommitSha!), StringComparer.Ordinal))
        {
            var prefix = reaches[commit];
            var delivered = new List<GitChange>();
            for (var i = deliveredUpTo + 1; i <= prefix; i++)
            {
                if (atPosition[i] is { } change)
                {
                    delivered.Add(change);
                }
            }

            deliveredUpTo = Math.Max(deliveredUpTo, prefix);
            releases.Add(new GitRelease(tag.Name, tag.CommitSha!, at, prefix >= 0 ? latest[prefix] : null, delivered));
        }

        return (releases, skipped);
    }

    [GeneratedRegex(@"^Merge pull request #(?<n>\d+) from ", RegexOptions.CultureInvariant)]
    private static partial Regex PullRequestMerge();

    [GeneratedRegex(@"See merge request [^\s!]+!(?<n>\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex MergeRequest();

    [GeneratedRegex(@"\(#(?<n>\d+)\)$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberedSubject();
}
