using Throughline.Model;
using Throughline.Timeline;

namespace Throughline.Metrics;

/// <summary>Computes the five DORA metrics from a timeline snapshot, by the definitions in docs/metrics.md.</summary>
/// <remarks>Reads only per-change and per-deployment records, never raw events. Deterministic; thread safe.</remarks>
public static class DoraCalculator
{
    /// <summary>The metrics for <paramref name="query"/>.</summary>
    public static DoraMetrics Compute(TimelineSnapshot snapshot, OperatingModel? model, MetricsQuery query)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(query);
        var scope = InScope(snapshot, model, query).ToList();
        var window = scope.Where(d => query.Contains(d.At)).ToList();
        var incidents = snapshot.Incidents.Where(i => i.DeploymentId is not null).ToLookup(i => i.DeploymentId!, StringComparer.Ordinal);
        var next = NextDeployments(scope);

        var frequency = new DeploymentFrequency(window.Count, window.Select(d => d.At.UtcDateTime.Date).Distinct().Count(), window.Count / query.Days, window.Count);
        var failed = window.Where(d => d.Failed).ToList();
        var failure = new ChangeFailureRate(window.Count, failed.Count, Rate(failed.Count, window.Count),
            window.Count + failed.Sum(d => incidents[d.Id].Count() + (d.RolledBackAt is null ? 0 : 1)));

        var recoveries = failed.Select(d => Recovery(d, incidents[d.Id].ToList(), next)).ToList();
        var recoveredHours = recoveries.Where(r => r.Hours is not null).Select(r => r.Hours!.Value).Order().ToList();
        var recovery = new FailedDeploymentRecoveryTime(recoveredHours.Count, recoveries.Count - recoveredHours.Count, Percentile.Of(recoveredHours, 0.5),
            recoveries.Sum(r => r.Events));

        var reworkAfterIncident = ReworkAfterIncidents(scope, incidents, next);
        var rework = window.Where(d => d.IsRollback || reworkAfterIncident.Contains(Key(d))).ToList();
        var reworkRate = new DeploymentReworkRate(window.Count, rework.Count, Rate(rework.Count, window.Count),
            window.Count + rework.Count(d => !d.IsRollback));

        return new DoraMetrics(frequency, LeadTime(snapshot, model, query), failure, recovery, reworkRate);
    }

    /// <summary>The metrics per day or per week (weeks start on Monday, UTC) across the query's window.</summary>
    public static IReadOnlyList<DoraPoint> Series(TimelineSnapshot snapshot, OperatingModel? model, MetricsQuery query, bool weekly)
    {
        ArgumentNullException.ThrowIfNull(query);
        var points = new List<DoraPoint>();
        var start = new DateTimeOffset(query.From.UtcDateTime.Date, TimeSpan.Zero);
        if (weekly)
        {
            start = start.AddDays(-(((int)start.DayOfWeek + 6) % 7));
        }

        for (var from = start; from < query.To; from = from.AddDays(weekly ? 7 : 1))
        {
            var bucket = query with { From = from > query.From ? from : query.From, To = from.AddDays(weekly ? 7 : 1) < query.To ? from.AddDays(weekly ? 7 : 1) : query.To };
            points.Add(new DoraPoint(bucket.From, bucket.To, Compute(snapshot, model, bucket)));
        }

        return points;
    }

    private static IEnumerable<Deployment> InScope(TimelineSnapshot snapshot, OperatingModel? model, MetricsQuery query) =>
        snapshot.Deployments.Where(d => query.CoversEnvironment(d.Environment, d.Production) && query.Covers(d.Service, model));

    private static ChangeLeadTime LeadTime(TimelineSnapshot snapshot, OperatingModel? model, MetricsQuery query)
    {
        var hours = new List<double>();
        var predating = 0;
        var deployments = new HashSet<string>(StringComparer.Ordinal);
        foreach (var change in snapshot.Changes.Values)
        {
            var first = change.Deliveries
                .Where(d => query.CoversEnvironment(d.Environment, d.Production))
                .OrderBy(d => d.At)
                .FirstOrDefault();
            if (first is null || !query.Contains(first.At) || !query.Covers(first.Service, model))
            {
                continue;
            }

            if (change.PredatesHistory)
            {
                predating++;
            }
            else if (change.StartedAt is { } start)
            {
                hours.Add((first.At - start).TotalHours);
                deployments.Add(first.DeploymentId);
            }
        }

        hours.Sort();
        return new ChangeLeadTime(hours.Count, Percentile.Of(hours, 0.5), Percentile.Of(hours, 0.75), Percentile.Of(hours, 0.9), predating, hours.Count + deployments.Count);
    }

    /// <summary>Each deployment's place among the deployments of its service and environment, in time order.</summary>
    private static Dictionary<string, (List<Deployment> Ordered, int Index)> NextDeployments(List<Deployment> scope)
    {
        var places = new Dictionary<string, (List<Deployment>, int)>(StringComparer.Ordinal);
        foreach (var group in scope.GroupBy(d => (d.Service, d.Environment)))
        {
            var ordered = group.ToList();
            for (var i = 0; i < ordered.Count; i++)
            {
                places[Key(ordered[i])] = (ordered, i);
            }
        }

        return places;
    }

    /// <summary>The deployments of the same service and environment after <paramref name="deployment"/>, in order.</summary>
    private static IEnumerable<Deployment> After(Deployment deployment, Dictionary<string, (List<Deployment> Ordered, int Index)> places)
    {
        var (ordered, index) = places[Key(deployment)];
        for (var i = index + 1; i < ordered.Count; i++)
        {
            yield return ordered[i];
        }
    }

    private static string Key(Deployment d) => d.Service + "\n" + d.Environment + "\n" + d.Id;

    /// <summary>
    /// Failure known at f = the earliest detection of its incidents or the rollback that followed it; recovered at the
    /// earlier of the first deployment of (S, E) after it at or after f, and the latest resolution when all are resolved.
    /// </summary>
    private static (double? Hours, int Events) Recovery(
        Deployment deployment, List<IncidentRecord> incidents, Dictionary<string, (List<Deployment> Ordered, int Index)> next)
    {
        var known = incidents.Select(i => i.DetectedAt).Append(deployment.RolledBackAt ?? DateTimeOffset.MaxValue).Min();
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
    private static HashSet<string> ReworkAfterIncidents(
        List<Deployment> scope, ILookup<string, IncidentRecord> incidents, Dictionary<string, (List<Deployment> Ordered, int Index)> next)
    {
        var rework = new HashSet<string>(StringComparer.Ordinal);
        foreach (var deployment in scope)
        {
            foreach (var incident in incidents[deployment.Id])
            {
                var firstAfter = After(deployment, next).FirstOrDefault(d => d.At > incident.DetectedAt);
                if (firstAfter is not null && (incident.ResolvedAt is null || incident.ResolvedAt > firstAfter.At))
                {
                    rework.Add(Key(firstAfter));
                }
            }
        }

        return rework;
    }

    private static double? Rate(int part, int whole) => whole == 0 ? null : (double)part / whole;
}
