using Throughline.Metrics;
using Throughline.Model;
using Throughline.Timeline;

namespace Throughline.Diagnostics;

/// <summary>Drift between the operating model and what happened in a window (docs/diagnostics.md, "Drift from the model").</summary>
/// <remarks>
/// <para>The window and scope are a <see cref="MetricsQuery"/>'s, read as the flow metrics read them: a change is in the window when
/// its first production delivery is (changes predating the history are left out: their early stages were never observable), a stage
/// interval when it ended in it, an event when its own time is; <c>service</c> keeps the changes counted under that service and
/// <c>team</c> the stage intervals the team holds.</para>
/// <para>Who did a stage: the actor its start event names, else its end event's; for an approval stage the end's first (the approver).</para>
/// </remarks>
public static class Drift
{
    private const int Examples = 20;

    /// <summary>The drift report for <paramref name="query"/>.</summary>
    /// <param name="snapshot">The timeline.</param>
    /// <param name="model">The operating model the timeline was built under.</param>
    /// <param name="query">The window and scope.</param>
    /// <param name="events">Every stored event up to the window's end (<see cref="ObservedEvent"/>); the sources and the actors' tools are read from them.</param>
    public static DriftReport Compute(TimelineSnapshot snapshot, OperatingModel model, MetricsQuery query, IReadOnlyList<ObservedEvent> events)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(events);
        var bySequence = new Dictionary<long, ObservedEvent>(events.Count);
        foreach (var observed in events)
        {
            bySequence.TryAdd(observed.Sequence, observed);
        }

        var (others, approvals, unknown) = Actors(snapshot, model, query, bySequence);
        // By service, never by team: a stage another team holds is not unobserved because the team asked for does not hold it.
        var passed = FlowCalculator.StagesPassed(snapshot, model, query with { Team = null }).ToHashSet(StringComparer.Ordinal);
        return new DriftReport(
            Skipped(snapshot, model, query), [.. model.Flow.Select(s => s.Id).Where(id => !passed.Contains(id))], others, approvals, unknown,
            Undeclared(model, query, events));
    }

    /// <summary>Per stage and service: of the changes first delivered in the window, those whose stage is not done.</summary>
    private static List<SkippedStage> Skipped(TimelineSnapshot snapshot, OperatingModel model, MetricsQuery query)
    {
        var delivered = new Dictionary<string, int>(StringComparer.Ordinal);
        var skipped = new Dictionary<(string Stage, string Service), List<string>>();
        foreach (var change in Delivered(snapshot, query))
        {
            var service = FlowScope.ServiceOf(change) ?? "";
            delivered[service] = delivered.GetValueOrDefault(service) + 1;
            foreach (var interval in change.Stages.Where(i => i.Status != StageStatus.Done && FlowScope.Holds(i, query)))
            {
                var key = (interval.StageId, service);
                if (!skipped.TryGetValue(key, out var list))
                {
                    skipped[key] = list = [];
                }

                list.Add(change.Id);
            }
        }

        var order = model.Flow.Select((s, i) => (s.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        return [.. skipped
            .Select(s => new SkippedStage(s.Key.Stage, s.Key.Service, delivered[s.Key.Service], [.. s.Value.Order(StringComparer.Ordinal)]))
            .OrderBy(s => order.GetValueOrDefault(s.Stage, int.MaxValue)).ThenBy(s => s.Service, StringComparer.Ordinal)];
    }

    /// <summary>The changes first delivered to production in the window, in scope, that do not predate the history.</summary>
    internal static IEnumerable<ChangeTimeline> Delivered(TimelineSnapshot snapshot, MetricsQuery query) =>
        snapshot.Changes.Values.Where(c => c.FirstProductionDeliveryAt is { } at && query.Contains(at) && !c.PredatesHistory && FlowScope.Covers(c, query));

    /// <summary>The done stage intervals that ended in the window whose actor's team is not the owner, and the actors no one claims.</summary>
    private static (List<OtherTeamWork> Others, List<OtherTeamWork> Approvals, List<UnknownActor> Unknown) Actors(
        TimelineSnapshot snapshot, OperatingModel model, MetricsQuery query, Dictionary<long, ObservedEvent> events)
    {
        var people = new People(model);
        var stages = model.Flow.ToDictionary(s => s.Id, StringComparer.Ordinal);
        var others = new List<OtherTeamWork>();
        var approvals = new List<OtherTeamWork>();
        var unknown = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var change in snapshot.Changes.Values.Where(c => FlowScope.Covers(c, query)))
        {
            foreach (var interval in change.Stages)
            {
                if (interval is not { Status: StageStatus.Done, EndedAt: { } ended, Team: { } owner }
                    || !query.Contains(ended) || !FlowScope.Holds(interval, query) || !stages.TryGetValue(interval.StageId, out var stage))
                {
                    continue;
                }

                var approval = IsApproval(stage);
                if (ActorOf(interval, approval) is not ({ } actor, var sequence))
                {
                    continue;
                }

                var tool = sequence is { } s && events.TryGetValue(s, out var observed) ? EventTools.ToolOf(observed, model) : null;
                if (people.Find(actor, tool) is not { } person)
                {
                    if (!unknown.TryGetValue(actor, out var list))
                    {
                        unknown[actor] = list = [];
                    }

                    list.Add(change.Id);
                    continue;
                }

                if (person.Team != owner)
                {
                    var work = new OtherTeamWork(change.Id, interval.StageId, FlowScope.ServiceOf(change), actor, person.Id, person.Team, owner, sequence);
                    others.Add(work);
                    if (approval)
                    {
                        approvals.Add(work);
                    }
                }
            }
        }

        return (Sorted(others), Sorted(approvals),
            [.. unknown.Select(u => new UnknownActor(u.Key, u.Value.Count, [.. u.Value.Order(StringComparer.Ordinal).Take(Examples)]))
                .OrderByDescending(u => u.Stages).ThenBy(u => u.Actor, StringComparer.Ordinal)]);
    }

    /// <summary>
    /// Who did a stage, with the event that names them: for an approval stage who ended it (the approver), else who started it;
    /// for any other stage who started it (a reviewer's first review), else who ended it.
    /// </summary>
    private static (string? Actor, long? Event) ActorOf(StageInterval interval, bool approval)
    {
        (string? Actor, long? Event) start = (interval.StartActor, interval.StartEvent), end = (interval.EndActor, interval.EndEvent);
        var (first, second) = approval ? (end, start) : (start, end);
        return first.Actor is not null ? first : second;
    }

    /// <summary>
    /// An approval stage: owned by a responsibility whose name begins with <c>approve</c> (<c>approve-production</c>), or ended by an
    /// <c>approval</c> event.
    /// </summary>
    public static bool IsApproval(FlowStage stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        return (stage.Owner.Kind == StageOwnerKind.Responsibility && stage.Owner.Name.StartsWith("approve", StringComparison.Ordinal))
            || stage.Ends.Subject == "approval";
    }

    private static List<OtherTeamWork> Sorted(List<OtherTeamWork> work) =>
        [.. work.OrderBy(w => w.Change, StringComparer.Ordinal).ThenBy(w => w.Stage, StringComparer.Ordinal)];

    /// <summary>The sources of events in the window that no declared tool matches (Throughline's own events aside), most events first.</summary>
    private static List<UndeclaredSource> Undeclared(OperatingModel model, MetricsQuery query, IReadOnlyList<ObservedEvent> events) =>
        [.. events
            .Where(e => query.Contains(e.Time) && !EventTools.IsOwn(e) && EventTools.ToolOf(e, model) is null)
            .GroupBy(e => e.Source, StringComparer.Ordinal)
            .Select(g => new UndeclaredSource(
                g.Key, g.Count(), g.Max(e => e.Time),
                [.. g.OrderByDescending(e => e.Time).ThenByDescending(e => e.Sequence).Take(Examples).Select(e => e.Sequence)]))
            .OrderByDescending(s => s.Events).ThenBy(s => s.Source, StringComparer.Ordinal)];
}
