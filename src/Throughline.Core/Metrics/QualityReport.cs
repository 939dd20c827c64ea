using Throughline.Model;
using Throughline.Timeline;

namespace Throughline.Metrics;

/// <summary>An incident the metrics could not tie to a deployment, and why.</summary>
/// <param name="Incident">The incident id.</param>
/// <param name="DetectedAt">When it was detected.</param>
/// <param name="Reason">Why it is not attributed.</param>
public sealed record UnattributedIncident(string Incident, DateTimeOffset DetectedAt, string Reason);

/// <summary>Stored events Throughline does not interpret yet, by source and type.</summary>
/// <param name="Source">The event source (or <c>/hooks/TOOL</c> for webhooks).</param>
/// <param name="Type">The event type.</param>
/// <param name="Events">How many are stored.</param>
public sealed record UnmappedEvents(string Source, string Type, int Events);

/// <summary>Why numbers may be missing or weak, gap by gap.</summary>
/// <param name="DeploymentsWithoutChange">Production deployments in the window whose artifact leads to no known change (they deliver nothing).</param>
/// <param name="DeploymentsWithoutChangeExamples">Up to 20 of their ids.</param>
/// <param name="ChangesPredatingHistory">Changes delivered in the window that predate the observed history (left out of lead time).</param>
/// <param name="IncidentsWithoutService">Incidents detected in the window naming no service.</param>
/// <param name="UnattributedIncidents">Incidents detected in the window that are attributed to no deployment, with the reason.</param>
/// <param name="Unmapped">Uninterpreted events stored (all time), by source and type.</param>
/// <param name="StagesNeverObserved">Flow stages no change passed in the window.</param>
public sealed record QualityReport(
    int DeploymentsWithoutChange, IReadOnlyList<string> DeploymentsWithoutChangeExamples, int ChangesPredatingHistory, int IncidentsWithoutService,
    IReadOnlyList<UnattributedIncident> UnattributedIncidents, IReadOnlyList<UnmappedEvents> Unmapped, IReadOnlyList<string> StagesNeverObserved)
{
    private const int Examples = 20;

    /// <summary>The quality report for <paramref name="query"/>.</summary>
    /// <remarks>Kept with the snapshot per query; the unmapped counts are read anew each time.</remarks>
    public static QualityReport Compute(
        TimelineSnapshot snapshot, OperatingModel? model, MetricsQuery query, IReadOnlyDictionary<(string Source, string Type), int> unmapped)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(unmapped);
        var report = snapshot.Derived.GetOrAdd(new ReportKey(query), () => ComputeGaps(snapshot, model, query));
        return report with
        {
            Unmapped = [.. unmapped.OrderByDescending(u => u.Value).ThenBy(u => u.Key.Source, StringComparer.Ordinal).ThenBy(u => u.Key.Type, StringComparer.Ordinal)
                .Select(u => new UnmappedEvents(u.Key.Source, u.Key.Type, u.Value))],
        };
    }

    /// <summary>What the report counts in a scope within one partition, each list sorted by time so that a window is a binary search.</summary>
    private sealed record Gaps(Deployment[] Orphans, (DateTimeOffset FirstDelivery, string Id)[] Predating, IncidentRecord[] Incidents);

    /// <summary>The report on one question (without the unmapped counts), kept with the snapshot.</summary>
    private sealed record ReportKey(MetricsQuery Query) : DerivedKey<QualityReport>;

    /// <summary>What the report counts in one scope, whatever the window, kept with each partition's snapshot.</summary>
    private sealed record GapsKey(string? Service, string? Team, string? Environment) : DerivedKey<Gaps>;

    private static QualityReport ComputeGaps(TimelineSnapshot snapshot, OperatingModel? model, MetricsQuery query)
    {
        var gaps = snapshot.Derived.PerPartition(new GapsKey(query.Service, query.Team, query.Environment), part => GapsOf(part, model, query));
        var orphans = TimeRange.Of(gaps.Select(g => g.Orphans), d => d.At, query);
        orphans.Sort(TimelineSnapshot.Compare);
        var incidents = TimeRange.Of(gaps.Select(g => g.Incidents), i => i.DetectedAt, query);
        incidents.Sort(TimelineSnapshot.Compare);
        var passed = FlowCalculator.StagesPassed(snapshot, model, query with { Service = null, Team = null }).ToHashSet(StringComparer.Ordinal);
        return new QualityReport(
            orphans.Count,
            [.. orphans.Take(Examples).Select(d => d.Id)],
            TimeRange.Of(gaps.Select(g => g.Predating), p => p.FirstDelivery, query).Count,
            incidents.Count(i => i.Service is null),
            [.. incidents.Where(i => i.UnattributedReason is not null).Select(i => new UnattributedIncident(i.Id, i.DetectedAt, i.UnattributedReason!))],
            [],
            [.. (model?.Flow ?? []).Where(s => !passed.Contains(s.Id)).Select(s => s.Id)]);
    }

    private static Gaps GapsOf(TimelineSnapshot snapshot, OperatingModel? model, MetricsQuery query)
    {
        var orphans = snapshot.Deployments
            .Where(d => query.CoversEnvironment(d.Environment, d.Production) && query.Covers(d.Service, model) && !d.IsRollback && d.ChangeId is null)
            .ToArray();
        // The same selection as lead time: the first delivery to a service and environment in scope.
        var predating = snapshot.Changes.Values
            .Where(c => c.PredatesHistory)
            .Select(c => (First: c.Deliveries.Where(d => query.CoversEnvironment(d.Environment, d.Production) && query.Covers(d.Service, model)).MinBy(d => d.At), c.Id))
            .Where(c => c.First is not null)
            .Select(c => (c.First!.At, c.Id))
            .ToArray();
        Array.Sort(predating, ComparePredating);
        var incidents = snapshot.Incidents.Where(i => query.CoversIncident(i, model)).ToArray();
        return new Gaps(orphans, predating, incidents);
    }

    private static int ComparePredating((DateTimeOffset FirstDelivery, string Id) left, (DateTimeOffset FirstDelivery, string Id) right) =>
        left.FirstDelivery.CompareTo(right.FirstDelivery) is var order && order != 0 ? order : string.CompareOrdinal(left.Id, right.Id);
}
