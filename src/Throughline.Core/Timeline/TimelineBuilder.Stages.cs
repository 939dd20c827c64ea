using Throughline.Model;

namespace Throughline.Timeline;

internal sealed partial class TimelineBuilder
{
    private ChangeTimeline Finish(ChangeBuilder change, Dictionary<string, DateTimeOffset> firstProductionDeployment)
    {
        var state = change.AbandonedAt is not null && change.MergedAt is null ? ChangeState.Abandoned
            : change.Deliveries.Any(d => d.Production) ? ChangeState.Delivered
            : change.MergedAt is not null ? ChangeState.Merged
            : ChangeState.Open;
        var firstProduction = change.Deliveries.Where(d => d.Production).OrderBy(d => d.At).FirstOrDefault();
        var (start, basis) = StartOf(change);
        var predates = Predates(change, firstProduction, firstProductionDeployment);
        double? leadTime = firstProduction is not null && start is not null && !predates ? (firstProduction.At - start.Value).TotalHours : null;
        var events = change.Events.Concat(change.DeploymentEvents).Distinct().ToList();
        events.Sort(Fact.Compare);
        var service = change.Services.FirstOrDefault() ?? change.Deliveries.FirstOrDefault()?.Service;
        return new ChangeTimeline(
            change.Id, change.Repository, change.Title, change.Author, change.Services, Earliest(change.FirstCommitAt, change.PushedCommitAt), change.CreatedAt,
            change.FirstReviewAt, change.Reviews, change.MergedAt, change.AbandonedAt, change.MergeSha, state, change.Artifacts,
            [.. change.Deliveries.OrderBy(d => d.At).ThenBy(d => d.Environment, StringComparer.Ordinal)], firstProduction?.At, predates, leadTime, Stages(events, start ?? events.FirstOrDefault()?.Time, service, state),
            events.ConvertAll(e => e.Sequence).ToArray(), HashOf(events))
        {
            Checks = CheckRun.Of(events),
            StartBasis = basis,
        };
    }

    /// <summary>A hash of the events' sources and ids in canonical order: equal for equal sets of events in any process.</summary>
    private static ulong HashOf(List<Fact> events) =>
        events.Aggregate(Fnv.Empty, (hash, fact) => Fnv.Add(Fnv.Add(Fnv.Add(Fnv.Add(hash, fact.Source), '\uFFFF'), fact.Id), '\uFFFE'));

    /// <summary>
    /// A change merged before the first production deployment held for its service predates the observed history:
    /// delivered, but left out of lead time, so the first deployment seen does not swallow years of history.
    /// </summary>
    private static bool Predates(ChangeBuilder change, ChangeDelivery? firstProduction, Dictionary<string, DateTimeOffset> firstProductionDeployment)
    {
        if (change.MergedAt is not { } merged)
        {
            return false;
        }

        var services = firstProduction is not null ? [firstProduction.Service] : change.Services;
        return services.Any(service => firstProductionDeployment.TryGetValue(service, out var first) && merged < first);
    }

    /// <summary>
    /// Maps the change onto the flow: each stage starts at its first start event after the previous stage ended, and
    /// ends at its first end event after that. A stage with no end while a later stage ended was skipped.
    /// </summary>
    private List<StageInterval> Stages(List<Fact> events, DateTimeOffset? begin, string? service, ChangeState state)
    {
        if (model is null || model.Flow.Count == 0)
        {
            return [];
        }

        var found = new (Fact? Start, Fact? End, DateTimeOffset? ReadyAt)[model.Flow.Count];
        var readyAt = begin;
        for (var i = 0; i < model.Flow.Count; i++)
        {
            var stage = model.Flow[i];
            var start = stage.Starts is null ? null : events.FirstOrDefault(e => e.Time >= (readyAt ?? DateTimeOffset.MinValue) && Matches(stage.Starts, e));
            var end = events.FirstOrDefault(e => e.Time >= (start?.Time ?? readyAt ?? DateTimeOffset.MinValue) && Matches(stage.Ends, e))
                // Out of order: the stage's end came before the previous stage ended (a change that rode along to production
                // while its own sign-off was still open). It is done, with no time of its own.
                ?? events.FirstOrDefault(e => Matches(stage.Ends, e));
            found[i] = (start, end, readyAt);
            if (end is not null && (readyAt is null || end.Time > readyAt))
            {
                readyAt = end.Time;
            }
        }

        var lastDone = Array.FindLastIndex(found, f => f.End is not null);
        var intervals = new List<StageInterval>(found.Length);
        string? previousTeam = null;
        var current = state != ChangeState.Abandoned;
        for (var i = 0; i < found.Length; i++)
        {
            var stage = model.Flow[i];
            var (start, end, ready) = found[i];
            var team = service is null ? (stage.Owner.Kind == StageOwnerKind.Team ? stage.Owner.Name : null) : model.ResolveStageOwner(stage, service);
            if (end is not null)
            {
                var handoff = previousTeam is not null && team is not null && team != previousTeam;
                intervals.Add(new StageInterval(
                    stage.Id, stage.Name, team, StageStatus.Done, ready, start?.Time, end.Time, handoff, handoff ? previousTeam : null,
                    start?.Actor, end.Actor, start?.Sequence, end.Sequence));
                previousTeam = team ?? previousTeam;
            }
            else if (i < lastDone)
            {
                intervals.Add(Untimed(stage, team, StageStatus.Skipped));
            }
            else if (current && state != ChangeState.Delivered)
            {
                var handoff = previousTeam is not null && team is not null && team != previousTeam;
                var status = start is not null ? StageStatus.InProgress : StageStatus.Waiting;
                intervals.Add(new StageInterval(stage.Id, stage.Name, team, status, ready, start?.Time, null, handoff, handoff ? previousTeam : null, start?.Actor, null, start?.Sequence));
                current = false;
            }
            else
            {
                intervals.Add(Untimed(stage, team, StageStatus.NotReached));
            }
        }

        intervals.TrimExcess();
        return intervals;
    }

    /// <summary>A skipped or not-reached stage: the same for every change of the team, so one instance serves them all.</summary>
    private StageInterval Untimed(FlowStage stage, string? team, StageStatus status)
    {
        var key = (stage.Id, team, status);
        if (!_untimed.TryGetValue(key, out var interval))
        {
            interval = new StageInterval(stage.Id, stage.Name, team, status, null, null, null, false, null);
            _untimed[key] = interval;
        }

        return interval;
    }

    /// <summary>
    /// Whether <paramref name="fact"/> satisfies <paramref name="matcher"/>. <c>service.deployed</c> also matches
    /// <c>service.upgraded</c>: both are deployments of a new version, and tools choose either.
    /// </summary>
    private static bool Matches(EventMatcher matcher, Fact fact) =>
        fact.Subject == matcher.Subject
        && (fact.Predicate == matcher.Predicate || (matcher.Subject == "service" && matcher.Predicate == "deployed" && fact.Predicate == "upgraded"))
        && matcher.Filters.All(filter => string.Equals(fact.Attribute(filter.Key), filter.Value, StringComparison.Ordinal));
}
