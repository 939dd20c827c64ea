using System.Globalization;

namespace Throughline.Intake.GitHistory;

/// <summary>A commit on the first-parent line of the imported branch, with its whole message.</summary>
/// <param name="Position">Its place on the line, 0 for the oldest.</param>
/// <param name="Sha">Its SHA.</param>
/// <param name="Parents">Its parents' SHAs, the first parent first.</param>
/// <param name="AuthoredAt">Its author time.</param>
/// <param name="CommittedAt">Its committer time.</param>
/// <param name="Author">Its author's name.</param>
/// <param name="Message">Its whole message.</param>
internal sealed record LineCommit(
    int Position, string Sha, IReadOnlyList<string> Parents, DateTimeOffset AuthoredAt, DateTimeOffset CommittedAt, string Author, string Message)
{
    /// <summary>The message's first line.</summary>
    public string Subject => Message.AsSpan().IndexOf('\n') is var end and >= 0 ? Message[..end].TrimEnd() : Message.TrimEnd();
}

/// <summary>A tag as git holds it: the commit it names (null when it names a tree or a blob) and, for an annotated tag, its tagger's time.</summary>
internal sealed record GitTag(string Name, string? CommitSha, string ObjectType, DateTimeOffset? TaggedAt);

/// <summary>
/// The commits reachable from a branch and from every tag: each one's parents, author and times. Held in arrays indexed
/// by a commit's number, about 100 bytes a commit.
/// </summary>
internal sealed class GitGraph
{
    private const int ProgressEvery = 10_000;
    private readonly Dictionary<string, int> _numbers = new(StringComparer.Ordinal);
    private readonly List<int[]> _parents = [];
    private readonly List<DateTimeOffset> _authored = [];
    private readonly List<DateTimeOffset> _committed = [];
    private readonly List<string> _authors = [];
    private readonly Dictionary<string, string> _authorNames = new(StringComparer.Ordinal);
    private readonly List<(int Commit, string[] Parents)> _pending = [];

    public int Count => _parents.Count;

    public bool TryNumber(string sha, out int number) => _numbers.TryGetValue(sha, out number);

    public IReadOnlyList<int> Parents(int commit) => _parents[commit];

    public DateTimeOffset AuthoredAt(int commit) => _authored[commit];

    public DateTimeOffset CommittedAt(int commit) => _committed[commit];

    public string Author(int commit) => _authors[commit];

    /// <summary>The commit <paramref name="branch"/> names now, so that every later question reads the same history (and a name
    /// that looks like an option never reaches git as one).</summary>
    public static async Task<string> ResolveAsync(string repository, string branch, CancellationToken cancellationToken)
    {
        string[] arguments = ["rev-parse", "--verify", "--end-of-options", branch + "^{commit}"];
        try
        {
            await foreach (var line in GitCli.RecordsAsync(repository, arguments, '\n', cancellationToken))
            {
                return line.Trim();
            }
        }
        catch (GitException exception) when (exception.Message.Contains("Needed a single revision", StringComparison.Ordinal))
        {
            // git's own words here ("fatal: Needed a single revision") do not say which name it could not find.
        }

        throw new GitException($"no branch or commit '{branch}' in {repository}");
    }

    /// <summary>Reads the graph of <paramref name="branch"/> (a SHA) and the tags with one <c>git log</c>.</summary>
    public static async Task<GitGraph> ReadAsync(string repository, string branch, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var graph = new GitGraph();
        string[] arguments = ["log", "--topo-order", "--format=%H%x1f%P%x1f%aI%x1f%cI%x1f%an", branch, "--tags", "--"];
        await foreach (var line in GitCli.RecordsAsync(repository, arguments, '\n', cancellationToken))
        {
            var fields = line.Split('\x1f');
            if (fields.Length < 5)
            {
                continue;
            }

            var number = graph._parents.Count;
            Report(progress, number + 1);
            graph._numbers[fields[0]] = number;
            graph._parents.Add([]);
            graph._authored.Add(ParseTime(fields[2]));
            graph._committed.Add(ParseTime(fields[3]));
            var author = fields[4];
            graph._authors.Add(graph._authorNames.TryGetValue(author, out var shared) ? shared : graph._authorNames[author] = author);
            graph._pending.Add((number, fields[1].Length == 0 ? [] : fields[1].Split(' ')));
        }

        // Parents come after their children in topological order: number them once every commit is known.
        foreach (var (commit, parents) in graph._pending)
        {
            // A parent missing from the graph (a shallow clone's boundary) is left out.
            graph._parents[commit] = [.. parents.Where(graph._numbers.ContainsKey).Select(p => graph._numbers[p])];
        }

        graph._pending.Clear();
        return graph;
    }

    /// <summary>The first-parent line of <paramref name="branch"/> (a SHA), oldest first, with whole messages.</summary>
    public static async Task<List<LineCommit>> ReadLineAsync(string repository, string branch, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var line = new List<LineCommit>();
        string[] arguments = ["log", "--first-parent", "-z", "--format=%H%x1f%P%x1f%aI%x1f%cI%x1f%an%x1f%B", branch, "--"];
        await foreach (var record in GitCli.RecordsAsync(repository, arguments, '\0', cancellationToken))
        {
            var fields = record.Split('\x1f', 6);
            if (fields.Length == 6)
            {
                Report(progress, line.Count + 1);
                line.Add(new LineCommit(0, fields[0], fields[1].Length == 0 ? [] : fields[1].Split(' '), ParseTime(fields[2]), ParseTime(fields[3]), fields[4], fields[5]));
            }
        }

        line.Reverse();
        return [.. line.Select((commit, position) => commit with { Position = position })];
    }

    /// <summary>Every tag, with the commit it names once peeled.</summary>
    public static async Task<List<GitTag>> ReadTagsAsync(string repository, CancellationToken cancellationToken)
    {
        var tags = new List<GitTag>();
        string[] arguments = ["for-each-ref", "refs/tags", "--format=%(refname:strip=2)%1f%(objecttype)%1f%(objectname)%1f%(*objecttype)%1f%(*objectname)%1f%(taggerdate:iso-strict)"];
        await foreach (var line in GitCli.RecordsAsync(repository, arguments, '\n', cancellationToken))
        {
            var fields = line.Split('\x1f');
            if (fields.Length < 6)
            {
                continue;
            }

            var (type, sha) = fields[1] == "tag" ? (fields[3], fields[4]) : (fields[1], fields[2]);
            tags.Add(new GitTag(fields[0], type == "commit" ? sha : null, type, fields[5].Length == 0 ? null : ParseTime(fields[5])));
        }

        return tags;
    }

    private static void Report(IProgress<long>? progress, long read)
    {
        if (read % ProgressEvery == 0)
        {
            progress?.Report(read);
        }
    }

    // git's strict ISO 8601 (%aI, iso-strict) always carries the offset: 2013-06-21T15:01:40+02:00.
    private static DateTimeOffset ParseTime(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.None);
}
