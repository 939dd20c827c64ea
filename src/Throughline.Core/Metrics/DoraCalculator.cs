using Throughline.Health;
using Throughline.Model;
using Throughline.Timeline;

namespace Throughline.Metrics;

/// <summary>Computes the five DORA metrics from a timeline snapshot, by the definitions in docs/metrics.md.</summary>
/// <remarks>Reads only per-change and per-deployment records, never raw events. Deterministic; thread safe.</remarks>
public static class DoraCalculator
{
    /// <summary>What a deployment in scope means for the metrics, whatever the window.</summary>
    private sealed record DeploymentOutcome(
        Deployment Deployment, DateTimeOffset At, bool IsRollback, bool Failed, double? RecoveryHours, bool Rework, int FailureEvents, int RecoveryEvents,
        IReadOnlyList<IncidentRecord> Incidents);

    /// <summary>A change's first delivery in scope and its lead time (null when predating).</summary>
    private sealed record ChangeOutcome(ChangeTimeline Change, ChangeDelivery Delivery, DateTimeOffset DeliveredAt, double? LeadHours, bool Predating);

    /// <summary>Everything the window-independent rules decide for one scope in one partition, sorted by time for windowing.</summary>
    private sealed record Prepared(DeploymentOutcome[] Deployments, ChangeOutcome[] Changes);

    /// <summary>The answer to one question, kept with the snapshot.</summary>
    private sealed record AnswerKey(MetricsQuery Query) : DerivedKey<DoraMetrics>;

    /// <summary>What the rules decide in one scope, whatever the window, kept with each partition's snapshot.</summary>
    private sealed record PreparedKey(string? Service, string? Team, string? Environment) : DerivedKey<Prepared>;

    /// <summary>The metrics for <paramref name="query"/>.</summary>
    /// <remarks>Failure, recovery, rework and lead time of each deployment and change do not depend on the window: they are
    /// decided once per snapshot and scope (and kept with the snapshot), then any window is a range of two sorted lists.</remarks>
    public static DoraMetrics Compute(TimelineSnapshot snapshot, OperatingModel? model, MetricsQuery query)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(query);
        return snapshot.Derived.GetOrAdd(new AnswerKey(query), () => Aggregate(Prepare(snapshot, model, query), query));
    }

    /// <summary>The production deployments behind the numbers of <paramref name="query"/>, with what the rules decided about each.</summary>
    public static IReadOnlyList<DeploymentEvidence> DeploymentsBehind(TimelineSnapshot snapshot, OperatingModel? model, MetricsQuery query)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(query);
        var deployments = TimeRange.Of(Prepare(snapshot, model, query).Select(p => p.Deployments), d => d.At, query);
        deployments.Sort((a, b) => TimelineSnapshot.Compare(a.Deployment, b.Deployment));
        return [.. deployments.Select(d => new DeploymentEvidence(d.Deployment, d.Rework, d.RecoveryHours, d.Incidents, d.Failed))];
    }

    /// <summary>The changes behind the lead time of <paramref name="query"/>: first delivered in the window, with their lead time.</summary>
    public static IReadOnlyList<ChangeEvidence> ChangesBehind(TimelineSnapshot snapshot, OperatingModel? model, MetricsQuery query)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(query);
        var changes = TimeRange.Of(Prepare(snapshot, model, query).Select(p => p.Changes), c => c.DeliveredAt, query);
        changes.Sort(CompareChanges);
        return [.. changes.Select(c => new ChangeEvidence(c.Change, c.Delivery, c.LeadHours))];
    }

    /// <summary>The metrics per day or per week (weeks start on Monday, UTC) across the query's window.</summary>
    public static IReadOnlyList<DoraPoint> Series(TimelineSnapshot snapshot, OperatingModel? model, MetricsQuery query, bool weekly)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(query);
        if (query.Intervals(weekly) > MetricsQuery.MaxIntervals)
        {
            throw new ArgumentOutOfRangeException(nameof(query), $"{query.Intervals(weekly)} intervals: more than {MetricsQuery.MaxIntervals}; check MetricsQuery.IntervalProblems first");
        }

        var prepared = Prepare(snapshot, model, query);
        var points = new List<DoraPoint>();
        for (var from = query.SeriesStart(weekly); from < query.To; from = from.AddDays(weekly ? 7 : 1))
        {
            var bucket = query with { From = from > query.From ? from : query.From, To = from.AddDays(weekly ? 7 : 1) < query.To ? from.AddDays(weekly ? 7 : 1) : query.To };
            points.Add(new DoraPoint(bucket.From, bucket.To, Aggregate(prepared, bucket)));
        }

        return points;
    }

    private static IReadOnlyList<Prepared> Prepare(TimelineSnapshot snapshot, OperatingModel? model, MetricsQuery query) =>
        snapshot.Derived.PerPartition(new PreparedKey(query.Service, query.Team, query.Environment), part => PrepareLeaf(part, model, query));

    /// <summary>Deployments and changes decided in one snapshot: attribution, delivery and the (service, environment) order never
    /// cross partitions, so each partition decides its own.</summary>
    private static Prepared PrepareLeaf(TimelineSnapshot snapshot, OperatingModel? model, MetricsQuery query)
    {
        var scope = InScope(snapshot, model, query).ToList();
        var incidents = snapshot.Incidents.Where(i => i.DeploymentKey is not null).ToLookup(i => i.DeploymentKey!.Value);
        var next = NextDeployments(scope);
        var reworkAfterIncident = ReworkAfterIncidents(scope, incidents, next);
        var deployments = scope.Select(d =>
        {
            var attributed = incidents[d.Key].ToList();
            var failedAt = ReleaseVerdicts.FailedAt(d, attributed, model);
            var (hours, recoveryEvents) = failedAt is { } known ? Recovery(d, known, attributed, next) : (null, 0);
            return new DeploymentOutcome(d, d.At, d.IsRollback, failedAt is not null, hours, d.IsRollback || reworkAfterIncident.Contains(d.Key),
                failedAt is not null ? Math.Max(1, attributed.Count + (d.RolledBackAt is null ? 0 : 1)) : 0, recoveryEvents, attributed);
        }).ToArray();
        var changes = Changes(snapshot, model, query).ToArray();
        Array.Sort(changes, CompareChanges);
        return new Prepared(deployments, changes);
    }

    private static int CompareChanges(ChangeOutcome left, ChangeOutcome right) =>
        left.DeliveredAt.CompareTo(right.DeliveredAt) is var order && order != 0 ? order : string.CompareOrdinal(left.Change.Id, right.Change.Id);

    /// <summary>The metrics of a window: counts and sorted values, so the partitions' order does not matter.</summary>
    private static DoraMetrics Aggregate(IReadOnlyList<Prepared> prepared, MetricsQuery query)
    {
        var window = TimeRange.Of(prepared.Select(p => p.Deployments), d => d.At, query);
        var failed = window.Count(d => d.Failed);
        var recovered = window.Where(d => d.Failed && d.RecoveryHours is not null).Select(d => d.RecoveryHours!.Value).ToArray();
        var rework = window.Count(d => d.Rework);
        var changes = TimeRange.Of(prepared.Select(p => p.Changes), c => c.DeliveredAt, query);
        var leadHours = changes.Where(c => c.LeadHours is not null).Select(c => c.LeadHours!.Value).ToArray();
        var lead = Percentile.OfUnsorted(leadHours, 0.5, 0.75, 0.9);
        var leadDeployments = changes.Where(c => c.LeadHours is not null).Select(c => c.Delivery.DeploymentKey).Distinct().Count();
        return new DoraMetrics(
            new DeploymentFrequency(window.Count, window.Select(d => d.At.UtcDateTime.Date).Distinct().Count(), window.Count / query.Days, window.Count),
            new ChangeLeadTime(leadHours.Length, lead[0], lead[1], lead[2],
                changes.Count(c => c.Predating), leadHours.Length + leadDeployments),
            new ChangeFailureRate(window.Count, failed, Rate(failed, window.Count), window.Count + window.Sum(d => d.FailureEvents)),
            new FailedDeploymentRecoveryTime(recovered.Length, failed - recovered.Length, Percentile.OfUnsorted(recovered, 0.5)[0], window.Sum(d => d.RecoveryEvents)),
            new DeploymentReworkRate(window.Count, rework, Rate(rework, window.Count), window.Count + window.Count(d => d.Rework && !d.IsRollback)));
    }

    private static IEnumerable<Deployment> InScope(TimelineSnapshot snapshot, OperatingModel? model, MetricsQuery query) =>
        snapshot.Deployments.Where(d => query.CoversEnvironment(d.Environment, d.Production) && query.Covers(d.Service, model));

    /// <summary>Each change's first delivery to an environment in scope, with its lead time unless it predates the history.</summary>
    private static IEnumerable<ChangeOutcome> Changes(TimelineSnapshot snapshot, OperatingModel? model, MetricsQuery query)
    {
        foreach (var change in snapshot.Changes.Values)
        {
            ChangeDelivery? first = null;
            foreach (var delivery in change.Deliveries)
            {
                // The first delivery to a service and environment in scope: in a monorepo a change reaches several services.
                if (query.CoversEnvironment(delivery.Environment, delivery.Production) && query.Covers(delivery.Service, model) && (first is null || delivery.At < first.At))
                {
                    first = delivery;
                }
            }

            if (first is null)
            {
                continue;
            }

            double? hours = change.PredatesHistory || change.StartedAt is not { } start ? null : (first.At - start).TotalHours;
            yield return new ChangeOutcome(change, first, first.At, hours, change.PredatesHistory);
        }
    }

    /// <summary>Each deployment's place among the deployments of its service and environment, in time order.</summary>
    private static Dictionary<DeploymentKey, (List<Deployment> Ordered, int Index)> NextDeployments(List<Deployment> scope)
    {
        var places = new Dictionary<DeploymentKey, (List<Deployment>, int)>();
        foreach (var group in scope.GroupBy(d => (d.Service, d.Environment)))
        {
            var ordered = group.ToList();
            for (var i = 0; i < ordered.Count; i++)
            {
                places[ordered[i].Key] = (ordered, i);
            }
        }

        return places;
    }

    /// <summary>The deployments of the same service and environment after <paramref name="deployment"/>, in order.</summary>
    private static IEnumerable<Deployment> After(Deployment deployment, Dictionary<DeploymentKey, (List<Deployment> Ordered, int Index)> places)
    {
        var (ordered, index) = places[deployment.Key];
        for (var i = index + 1; i < ordered.Count; i++)
        {
            yield return ordered[i];
        }
    }

    /// <summary>
    /// Failure known at f (<see cref="ReleaseVerdicts.FailedAt"/>: the earliest of its failing signals, its incidents' detection
    /// and the rollback that followed it); recovered at the earlier of the first deployment of (S, E) after it at or after f, and
    /// the latest resolution when all its incidents are resolved.
    /// </summary>
    private static (double? Hours, int Events) Recovery(
        Deployment deployment, DateTimeOffset known, List<IncidentRecord> incidents, Dictionary<DeploymentKey, (List<Deployment> Ordered, int Index)> next)
    {
        var redeploy = After(deployment, next).FirstOrDefault(d => d.At >= known)?.At;
        DateTimeOffset? resolved = incidents.Count > 0 && incidents.All(i => i.ResolvedAt is not null) ? incidents.Max(i => i.ResolvedAt) : null;
        var recovered = (redeploy, resolved) switch
        {
            ({ } a, { } b) => a < b ? a : b,
            ({ } a, null) => a,
            (null, { } b) => b,
            _ => (DateTimeOffset?)null,
        };
        var events = 1 + incidents.Count + incidents.Count(i => i.ResolvedAt is not null) + (redeploy is null ? 0 : 1);
        return (recovered is { } at ? (at - deployment.At).TotalHours : null, events);
    }

    /// <summary>
    /// Rework besides rollbacks: for each attributed incident, the first deployment of its (S, E) after it was detected,
    /// when the incident is still open at that deployment's time.
    /// </summary>
    private static HashSet<DeploymentKey> ReworkAfterIncidents(
        List<Deployment> scope, ILookup<DeploymentKey, IncidentRecord> incidents, Dictionary<DeploymentKey, (List<Deployment> Ordered, int Index)> next)
    {
        var rework = new HashSet<DeploymentKey>();
        foreach (var deployment in scope)
        {
            foreach (var incident in incidents[deployment.Key])
            {
                var firstAfter = After(deployment, next).FirstOrDefault(d => d.At > incident.DetectedAt);
                if (firstAfter is not null && (incident.ResolvedAt is null || incident.ResolvedAt > firstAfter.At))
                {
                    rework.Add(firstAfter.Key);
                }
            }
        }

        return rework;
    }

    private static double? Rate(int part, int whole) => whole == 0 ? null : (double)part / whole;
}
