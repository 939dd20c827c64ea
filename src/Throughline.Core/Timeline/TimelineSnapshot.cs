using System.Text.Json.Serialization;

namespace Throughline.Timeline;

/// <summary>Where a change is in its life.</summary>
public enum ChangeState
{
    /// <summary>Opened, not yet merged or abandoned.</summary>
    Open,

    /// <summary>Merged, not yet delivered to production.</summary>
    Merged,

    /// <summary>Delivered to a production environment.</summary>
    Delivered,

    /// <summary>Closed without merging.</summary>
    Abandoned,
}

/// <summary>How far a change has got through one stage of the flow.</summary>
public enum StageStatus
{
    /// <summary>The stage's end event was seen.</summary>
    Done,

    /// <summary>The stage started (its start event was seen) and has not ended.</summary>
    InProgress,

    /// <summary>The previous stage ended; this one has not started: the change waits in its queue.</summary>
    Waiting,

    /// <summary>A later stage ended without this one: the change went around it.</summary>
    Skipped,

    /// <summary>An earlier stage is not done yet.</summary>
    NotReached,
}

/// <summary>One stage of the flow for one change.</summary>
/// <remarks>
/// A million changes hold several million of these, so they keep only what cannot be derived: times without their
/// nullable wrappers (one byte says which are known), and no hours, which follow from the times.
/// </remarks>
public sealed record StageInterval
{
    private readonly DateTimeOffset _readyAt;
    private readonly DateTimeOffset _startedAt;
    private readonly DateTimeOffset _endedAt;
    private readonly Known _known;

    /// <summary>One stage of the flow for one change.</summary>
    /// <param name="stageId">The model's stage id.</param>
    /// <param name="name">The stage's display name.</param>
    /// <param name="team">The team that owns the stage for this change's service (resolved from the model).</param>
    /// <param name="status">How far the change got.</param>
    /// <param name="readyAt">When the previous stage ended (for the first stage, when the change's work began).</param>
    /// <param name="startedAt">When the start event was seen.</param>
    /// <param name="endedAt">When the end event was seen; required when <paramref name="status"/> is <see cref="StageStatus.Done"/>.</param>
    /// <param name="handoff">True when the owning team differs from the previous done stage's.</param>
    /// <param name="fromTeam">The previous done stage's team, when there is a handoff.</param>
    public StageInterval(
        string stageId, string? name, string? team, StageStatus status, DateTimeOffset? readyAt, DateTimeOffset? startedAt, DateTimeOffset? endedAt,
        bool handoff, string? fromTeam)
    {
        if (status == StageStatus.Done && endedAt is null)
        {
            throw new ArgumentException("A done stage has an end.", nameof(endedAt));
        }

        (StageId, Name, Team, Status, Handoff, FromTeam) = (stageId, name, team, status, handoff, fromTeam);
        (_readyAt, _startedAt, _endedAt) = (readyAt ?? default, startedAt ?? default, endedAt ?? default);
        _known = (readyAt is null ? 0 : Known.Ready) | (startedAt is null ? 0 : Known.Started) | (endedAt is null ? 0 : Known.Ended);
    }

    /// <summary>The model's stage id.</summary>
    public string StageId { get; }

    /// <summary>The stage's display name.</summary>
    public string? Name { get; }

    /// <summary>The team that owns the stage for this change's service (resolved from the model).</summary>
    public string? Team { get; }

    /// <summary>How far the change got.</summary>
    public StageStatus Status { get; }

    /// <summary>When the previous stage ended (for the first stage, when the change's work began): the queue starts here.</summary>
    public DateTimeOffset? ReadyAt => _known.HasFlag(Known.Ready) ? _readyAt : null;

    /// <summary>When the start event was seen; null for stages without a start matcher.</summary>
    public DateTimeOffset? StartedAt => _known.HasFlag(Known.Started) ? _startedAt : null;

    /// <summary>When the end event was seen.</summary>
    public DateTimeOffset? EndedAt => _known.HasFlag(Known.Ended) ? _endedAt : null;

    /// <summary>ReadyAt to start (to end for stages without a start matcher), never below 0; null until the stage is done.</summary>
    public double? WaitingHours => Status == StageStatus.Done
        ? Math.Max(0, ((StartedAt ?? _endedAt) - (ReadyAt ?? _endedAt)).TotalHours)
        : null;

    /// <summary>Start to end, never below 0; 0 for stages without a start matcher; null until the stage is done.</summary>
    public double? WorkingHours => Status == StageStatus.Done
        ? StartedAt is { } started ? Math.Max(0, (_endedAt - started).TotalHours) : 0
        : null;

    /// <summary>True when the owning team differs from the previous done stage's.</summary>
    public bool Handoff { get; }

    /// <summary>The previous done stage's team, when there is a handoff.</summary>
    public string? FromTeam { get; }

    /// <summary>Which of the three times are known: one byte in the padding, where nullable wrappers cost 8 bytes each.</summary>
    [Flags]
    private enum Known : byte
    {
        Ready = 1,
        Started = 2,
        Ended = 4,
    }
}

/// <summary>A deployment that delivered a change to an environment.</summary>
/// <param name="DeploymentId">The deployment event's id.</param>
/// <param name="Service">The service deployed.</param>
/// <param name="Environment">The environment deployed to.</param>
/// <param name="Production">Whether the environment counts as production.</param>
/// <param name="At">The deployment's time.</param>
/// <param name="RodeAlong">True when the change was not the deployed artifact's own change but an earlier merged one it carried.</param>
/// <param name="DeploymentSource">The deployment event's source; with <paramref name="DeploymentId"/> it identifies the deployment.</param>
public sealed record ChangeDelivery(string DeploymentId, string Service, string Environment, bool Production, DateTimeOffset At, bool RodeAlong, string DeploymentSource)
{
    /// <summary>The deployment that delivered the change.</summary>
    [JsonIgnore]
    public DeploymentKey DeploymentKey => new(DeploymentSource, DeploymentId);
}

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
}

/// <summary>A deployment of a service to an environment, with what it delivered and whether it failed.</summary>
/// <param name="Id">The deployment event's id.</param>
/// <param name="Service">The service (the model's id when the model names it).</param>
/// <param name="Environment">The environment.</param>
/// <param name="Production">Whether the environment counts as production.</param>
/// <param name="At">When it happened.</param>
/// <param name="ArtifactId">The artifact deployed.</param>
/// <param name="IsRollback">A rollback: delivers nothing.</param>
/// <param name="ChangeId">The change the artifact was packaged from, when known.</param>
/// <param name="Delivered">The changes it delivered (its own and those that rode along), in merge order.</param>
/// <param name="Incidents">Incidents attributed to it.</param>
/// <param name="RolledBackAt">When the next deployment of the same service and environment was a rollback: its time.</param>
/// <param name="Source">The deployment event's source; with <paramref name="Id"/> it identifies the deployment (<see cref="Key"/>).</param>
public sealed record Deployment(
    string Id, string Service, string Environment, bool Production, DateTimeOffset At, string? ArtifactId, bool IsRollback,
    string? ChangeId, IReadOnlyList<string> Delivered, IReadOnlyList<string> Incidents, DateTimeOffset? RolledBackAt, string Source = "")
{
    /// <summary>What identifies the deployment: its source and id.</summary>
    [JsonIgnore]
    public DeploymentKey Key => new(Source, Id);

    /// <summary>Failed: an incident was attributed to it, or the next deployment rolled it back.</summary>
    public bool Failed => Incidents.Count > 0 || RolledBackAt is not null;
}

/// <summary>An incident and the deployment it is attributed to, with the basis of that link.</summary>
/// <param name="Id">The incident's id (subject.id).</param>
/// <param name="Service">The affected service, when named.</param>
/// <param name="Environment">The affected environment, when named.</param>
/// <param name="DetectedAt">The earliest detection.</param>
/// <param name="ResolvedAt">The latest resolution, or null while open.</param>
/// <param name="ArtifactId">The artifact the incident names, when it does.</param>
/// <param name="DeploymentId">The id of the deployment it is attributed to, or null.</param>
/// <param name="Basis"><c>artifact</c> (the deployment of the named artifact) or <c>window</c> (the latest deployment within the attribution window); null when unattributed.</param>
/// <param name="UnattributedReason">Why it is not attributed, when it is not.</param>
/// <param name="DeploymentSource">The source of the deployment it is attributed to, or null; with <paramref name="DeploymentId"/> it identifies the deployment.</param>
public sealed record IncidentRecord(
    string Id, string? Service, string? Environment, DateTimeOffset DetectedAt, DateTimeOffset? ResolvedAt, string? ArtifactId,
    string? DeploymentId, string? Basis, string? UnattributedReason, string? DeploymentSource)
{
    /// <summary>The deployment it is attributed to, or null.</summary>
    [JsonIgnore]
    public DeploymentKey? DeploymentKey => DeploymentId is null ? null : new DeploymentKey(DeploymentSource ?? "", DeploymentId);
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
    [JsonIgnore]
    public DerivedCache Derived => _derived ?? Interlocked.CompareExchange(ref _derived, new DerivedCache(this), null) ?? _derived;

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
