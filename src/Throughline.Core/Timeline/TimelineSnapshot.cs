namespace Throughline.Timeline;

/// <summary>One change's whole story: what happened, where it went, and how long each stage took.</summary>
/// <remarks>
/// Times are the events' own timestamps (UTC). Lead time follows docs/metrics.md; null when not delivered or predating.
/// The events themselves stay in the store: <paramref name="EventSequences"/> says where, in the order of the story
/// (time, source, id), and <paramref name="EventsHash"/> identifies them by source and id, whatever order they were stored in.
/// </remarks>
public sealed record ChangeTimeline(
    string Id, string? Repository, string? Title, string? Author, IReadOnlyList<string> Services,
    DateTimeOffset? FirstCommitAt, DateTimeOffset? CreatedAt, DateTimeOffset? FirstReviewAt, int Reviews,
    DateTimeOffset? MergedAt, DateTimeOffset? AbandonedAt, string? MergeSha, ChangeState State,
    IReadOnlyList<string> Artifacts, IReadOnlyList<ChangeDelivery> Deliveries, DateTimeOffset? FirstProductionDeliveryAt,
    bool PredatesHistory, double? LeadTimeHours, IReadOnlyList<StageInterval> Stages, IReadOnlyList<long> EventSequences, ulong EventsHash)
{
    /// <summary>The stage the change is in now (waiting for it or in it), or null when it is done or abandoned.</summary>
    public StageInterval? CurrentStage => State is ChangeState.Delivered or ChangeState.Abandoned
        ? null
        : Stages.FirstOrDefault(s => s.Status is StageStatus.Waiting or StageStatus.InProgress);

    /// <summary>When the change's work began: first commit, else opened, else merged.</summary>
    public DateTimeOffset? StartedAt => FirstCommitAt ?? CreatedAt ?? MergedAt;

    /// <summary>What <see cref="StartedAt"/>, the start of the change's lead time, rests on.</summary>
    /// <remarks>Left out of the digest: <see cref="FirstCommitAt"/> and the events (<see cref="EventsHash"/>, the joined pushes among them)
    /// decide it.</remarks>
    [System.Text.Json.Serialization.JsonIgnore]
    public StartBasis StartBasis { get; init; }

    /// <summary>The named checks that reported for the change: the first finished test suite, task or pipeline run of each name
    /// among its events, by name.</summary>
    /// <remarks>Left out of the JSON and the digest (which covers the events themselves through <see cref="EventsHash"/>).</remarks>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<CheckRun> Checks { get; init; } = [];
}

/// <summary>A named check that reported for a change: the first finished run of that name linked to it.</summary>
/// <param name="Name">The test suite, task or pipeline name.</param>
/// <param name="At">When it finished.</param>
/// <param name="Outcome">Its outcome as the tool wrote it (<c>success</c>, <c>failure</c>, ...); null when not given.</param>
/// <param name="Sequence">The stored event's sequence number.</param>
public sealed record CheckRun(string Name, DateTimeOffset At, string? Outcome, long Sequence)
{
    /// <summary>The first finished run of each name among <paramref name="events"/> (sorted by time), in name order.</summary>
    internal static IReadOnlyList<CheckRun> Of(IEnumerable<Fact> events)
    {
        List<CheckRun>? runs = null;
        foreach (var fact in events)
        {
            if (fact is { Predicate: "finished", Subject: "testsuiterun" or "taskrun" or "pipelinerun", Name: { } name }
                && (runs is null || !runs.Exists(r => r.Name == name)))
            {
                (runs ??= []).Add(new CheckRun(name, fact.Time, fact.Outcome, fact.Sequence));
            }
        }

        return runs is null ? [] : [.. runs.OrderBy(r => r.Name, StringComparer.Ordinal)];
    }
}

/// <summary>Everything correlated from the stored events under one operating model: a pure function of the set of events.</summary>
/// <param name="Changes">Every change, by id.</param>
/// <param name="Deployments">Every deployment, by time.</param>
/// <param name="Incidents">Every incident, by detection time.</param>
/// <param name="Facts">How many stored events contributed.</param>
/// <param name="LatestEventAt">The latest event timestamp seen.</param>
public sealed record TimelineSnapshot(
    IReadOnlyDictionary<string, ChangeTimeline> Changes, IReadOnlyList<Deployment> Deployments, IReadOnlyList<IncidentRecord> Incidents,
    int Facts, DateTimeOffset? LatestEventAt)
{
    /// <summary>The snapshot of no events.</summary>
    public static TimelineSnapshot Empty { get; } = new(new Dictionary<string, ChangeTimeline>(), [], [], 0, null);

    private DerivedCache? _derived;

    /// <summary>A copy (<c>with</c>) starts with nothing derived: what was derived from <paramref name="original"/> need not hold for it.</summary>
    private TimelineSnapshot(TimelineSnapshot original)
    {
        (Changes, Deployments, Incidents, Facts, LatestEventAt, Parts) =
            (original.Changes, original.Deployments, original.Incidents, original.Facts, original.LatestEventAt, original.Parts);
    }

    /// <summary>Work derived from this snapshot (metrics, the board), kept as long as the snapshot lives.</summary>
    internal DerivedCache Derived => _derived ?? Interlocked.CompareExchange(ref _derived, new DerivedCache(this), null) ?? _derived;

    /// <summary>The snapshots of the disjoint partitions this one unites, or none when it was built in one piece.</summary>
    /// <remarks>Work derived per partition can be kept with the partition's snapshot, which outlives the united one
    /// until an event touches that partition (see <see cref="DerivedCache.PerPartition"/>).</remarks>
    public IReadOnlyList<TimelineSnapshot> Parts { get; private init; } = [];

    /// <summary>Deployments in their canonical order, the order facts are correlated in: time, then source, then id.</summary>
    public static List<Deployment> Ordered(IEnumerable<Deployment> deployments) =>
        [.. deployments.OrderBy(d => d.At).ThenBy(d => d.Source, StringComparer.Ordinal).ThenBy(d => d.Id, StringComparer.Ordinal).ThenBy(d => d.Service, StringComparer.Ordinal)];

    /// <summary>Incidents in their canonical order: detection time, then id.</summary>
    public static List<IncidentRecord> Ordered(IEnumerable<IncidentRecord> incidents) =>
        [.. incidents.OrderBy(i => i.DetectedAt).ThenBy(i => i.Id, StringComparer.Ordinal)];

    /// <summary>The canonical order of deployments (<see cref="Ordered(IEnumerable{Deployment})"/>) as a comparison.</summary>
    public static int Compare(Deployment left, Deployment right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        var order = left.At.CompareTo(right.At);
        order = order != 0 ? order : string.CompareOrdinal(left.Source, right.Source);
        order = order != 0 ? order : string.CompareOrdinal(left.Id, right.Id);
        return order != 0 ? order : string.CompareOrdinal(left.Service, right.Service);
    }

    /// <summary>The canonical order of incidents as a comparison.</summary>
    public static int Compare(IncidentRecord left, IncidentRecord right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        var order = left.DetectedAt.CompareTo(right.DetectedAt);
        return order != 0 ? order : string.CompareOrdinal(left.Id, right.Id);
    }

    /// <summary>The union of snapshots of disjoint sets of facts (partitions that share no change, service, repository or artifact).</summary>
    /// <remarks>Costs nothing per change: changes are looked up in the parts, and the time-ordered lists are merged from the
    /// parts' own ordered lists the first time someone reads them.</remarks>
    public static TimelineSnapshot Combine(IReadOnlyCollection<TimelineSnapshot> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var list = parts.ToArray();
        return new TimelineSnapshot(
            new UnitedChanges(list), new MergedList<Deployment>(list, p => p.Deployments, Compare), new MergedList<IncidentRecord>(list, p => p.Incidents, Compare),
            list.Sum(p => p.Facts), list.Max(p => p.LatestEventAt))
        {
            Parts = list,
        };
    }

    /// <summary>The changes of several partitions, each held by exactly one of them.</summary>
    private sealed class UnitedChanges(TimelineSnapshot[] parts) : IReadOnlyDictionary<string, ChangeTimeline>
    {
        public int Count { get; } = parts.Sum(p => p.Changes.Count);

        public IEnumerable<string> Keys => parts.SelectMany(p => p.Changes.Keys);

        public IEnumerable<ChangeTimeline> Values => parts.SelectMany(p => p.Changes.Values);

        public ChangeTimeline this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No change '{key}'.");

        public bool ContainsKey(string key) => TryGetValue(key, out _);

        public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out ChangeTimeline value)
        {
            foreach (var part in parts)
            {
                if (part.Changes.TryGetValue(key, out value))
                {
                    return true;
                }
            }

            value = null;
            return false;
        }

        public IEnumerator<KeyValuePair<string, ChangeTimeline>> GetEnumerator() => parts.SelectMany(p => p.Changes).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>The ordered items of several partitions, merged once, when first read.</summary>
    private sealed class MergedList<T>(TimelineSnapshot[] parts, Func<TimelineSnapshot, IReadOnlyList<T>> items, Comparison<T> compare) : IReadOnlyList<T>
    {
        private readonly Lazy<T[]> _merged = new(() => SortedMerge.Of([.. parts.Select(items)], compare));

        public int Count { get; } = parts.Sum(p => items(p).Count);

        public T this[int index] => _merged.Value[index];

        public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_merged.Value).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
