using Throughline.Metrics;
using Throughline.Model;
using Throughline.Timeline;

namespace Throughline.Diagnostics;

/// <summary>Missing automated checks and reviews (docs/diagnostics.md, "Missing checks").</summary>
/// <remarks>
/// <para>A check reported for a change when a finished test suite, task or pipeline run of that name is among the change's events
/// (<see cref="ChangeTimeline.Checks"/>: linked to it by change, chain, commit or artifact, as every event of its story), whatever
/// its outcome: a failed run reported.</para>
/// <para>The window and scope are read as in <see cref="Drift"/>. A production deployment is in the window when its time is, in
/// scope when its service and environment are (<see cref="MetricsQuery.Covers"/>, <see cref="MetricsQuery.CoversEnvironment"/>);
/// rollbacks deliver nothing and are left out. It must have had every stage's checks, for each change it delivered, reported at or
/// before its time.</para>
/// </remarks>
public static class MissingChecks
{
    /// <summary>The missing checks and reviews for <paramref name="query"/>.</summary>
    /// <param name="snapshot">The timeline.</param>
    /// <param name="model">The operating model (the stages' <c>checks</c>).</param>
    /// <param name="query">The window and scope.</param>
    public static MissingChecksReport Compute(TimelineSnapshot snapshot, OperatingModel model, MetricsQuery query)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(query);
        var merged = snapshot.Changes.Values
            .Where(c => c.MergedAt is { } at && query.Contains(at) && FlowScope.Covers(c, query))
            .ToList();
        var (deployments, notJudged) = Deployments(snapshot, model, query);
        return new MissingChecksReport(
            Stages(snapshot, model, query), deployments, notJudged, merged.Count,
            [.. merged.Where(c => c.Reviews == 0).Select(c => c.Id).Order(StringComparer.Ordinal)]);
    }

    private static List<StageChecks> Stages(TimelineSnapshot snapshot, OperatingModel model, MetricsQuery query)
    {
        var stages = model.Flow.Where(s => s.Checks.Count > 0).ToList();
        var delivered = Drift.Delivered(snapshot, query).GroupBy(c => FlowScope.ServiceOf(c) ?? "", StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var rows = new List<StageChecks>();
        foreach (var stage in stages)
        {
            foreach (var service in delivered)
            {
                var changes = service
                    .Where(c => query.Team is null || c.Stages.Any(i => i.StageId == stage.Id && FlowScope.Holds(i, query)))
                    .ToList();
                if (changes.Count == 0)
                {
                    continue;
                }

                var missing = changes
                    .Select(c => new ChangeMissing(c.Id, Missing(c, stage.Checks, DateTimeOffset.MaxValue)))
                    .Where(m => m.Missing.Count > 0)
                    .OrderBy(m => m.Change, StringComparer.Ordinal)
                    .ToList();
                rows.Add(new StageChecks(stage.Id, service.Key, stage.Checks, changes.Count, missing));
            }
        }

        return rows;
    }

    private static (List<UncheckedDeployment> Unchecked, int NotJudged) Deployments(TimelineSnapshot snapshot, OperatingModel model, MetricsQuery query)
    {
        var required = model.Flow.SelectMany(s => s.Checks).Distinct(StringComparer.Ordinal).ToList();
        var withoutChecks = new List<UncheckedDeployment>();
        var notJudged = 0;
        if (required.Count == 0)
        {
            return (withoutChecks, notJudged);
        }

        foreach (var deployment in snapshot.Deployments)
        {
            if (deployment.IsRollback || !query.Contains(deployment.At) || !query.Covers(deployment.Service, model)
                || !query.CoversEnvironment(deployment.Environment, deployment.Production))
            {
                continue;
            }

            var changes = deployment.Delivered.Select(id => snapshot.Changes.GetValueOrDefault(id)).OfType<ChangeTimeline>().ToList();
            if (changes.Count == 0)
            {
                notJudged++;
                continue;
            }

            var missing = changes
                .Select(c => new ChangeMissing(c.Id, Missing(c, required, deployment.At)))
                .Where(m => m.Missing.Count > 0)
                .OrderBy(m => m.Change, StringComparer.Ordinal)
                .ToList();
            if (missing.Count > 0)
            {
                withoutChecks.Add(new UncheckedDeployment(deployment.Source, deployment.Id, deployment.Service, deployment.Environment, deployment.At, missing));
            }
        }

        return (withoutChecks, notJudged);
    }

    /// <summary>The names in <paramref name="required"/> that no run of <paramref name="change"/> reported at or before <paramref name="by"/>.</summary>
    private static List<string> Missing(ChangeTimeline change, IReadOnlyList<string> required, DateTimeOffset by) =>
        [.. required.Where(name => !change.Checks.Any(run => run.Name == name && run.At <= by)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
