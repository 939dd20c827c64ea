using Throughline.Model;
using Throughline.Timeline;

namespace Throughline.Metrics;

/// <summary>One change's interval at a stage: a row of a flow figure's evidence.</summary>
/// <param name="Change">The change.</param>
/// <param name="Interval">Its interval at the stage.</param>
public sealed record StagePassage(ChangeTimeline Change, StageInterval Interval);

/// <summary>One delivered change's part of the flow efficiency: a row of its evidence.</summary>
/// <param name="Change">The change, first delivered to production in the window.</param>
/// <param name="WorkingHours">Its working time in the stages in scope.</param>
/// <param name="ElapsedHours">Its waiting + working time in the same stages.</param>
public sealed record ChangeEfficiency(ChangeTimeline Change, double WorkingHours, double ElapsedHours)
{
    /// <summary>Working ÷ elapsed.</summary>
    public double Ratio => WorkingHours / ElapsedHours;
}

public static partial class FlowCalculator
{
    /// <summary>The done intervals behind a stage's figures: those that ended in the window, in scope; longest waiting first.</summary>
    /// <param name="snapshot">The timeline.</param>
    /// <param name="stage">The stage id.</param>
    /// <param name="query">The window and scope.</param>
    /// <param name="fromTeam">With <paramref name="toTeam"/>: only the handoffs across that boundary into the stage.</param>
    /// <param name="toTeam">The team the work was handed to.</param>
    public static IReadOnlyList<StagePassage> PassagesBehind(TimelineSnapshot snapshot, string stage, MetricsQuery query, string? fromTeam = null, string? toTeam = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(query);
        var boundary = fromTeam is not null || toTeam is not null;
        return [.. IntervalsInScope(snapshot, query, stage)
            .Where(p => p.Interval.Status == StageStatus.Done && query.Contains(p.Interval.EndedAt!.Value))
            .Where(p => boundary
                ? FlowScope.Crosses(p.Interval, query) && p.Interval.FromTeam == fromTeam && p.Interval.Team == toTeam
                : FlowScope.Holds(p.Interval, query))
            .OrderByDescending(p => p.Interval.WaitingHours)
            .ThenBy(p => p.Change.Id, StringComparer.Ordinal)];
    }

    /// <summary>The changes in a stage's queue at <paramref name="at"/>: entered it at or before then and not yet started (or ended); longest waiting first.</summary>
    public static IReadOnlyList<StagePassage> QueueAt(TimelineSnapshot snapshot, string stage, MetricsQuery query, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(query);
        return [.. IntervalsInScope(snapshot, query, stage)
            .Where(p => FlowScope.Holds(p.Interval, query) && FlowScope.Queued(p.Interval) is { } q && q.Entered <= at && (q.Left is null || q.Left > at))
            .OrderBy(p => p.Interval.ReadyAt)
            .ThenBy(p => p.Change.Id, StringComparer.Ordinal)];
    }

    /// <summary>The changes behind the flow efficiency: first delivered to production in the window, with time in stages in scope; least efficient first.</summary>
    public static IReadOnlyList<ChangeEfficiency> EfficiencyBehind(TimelineSnapshot snapshot, OperatingModel? model, MetricsQuery query)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(query);
        if (model is null || model.Flow.Count == 0)
        {
            return [];
        }

        var stages = model.Flow.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var rows = new List<ChangeEfficiency>();
        foreach (var change in snapshot.Changes.Values)
        {
            if (change.FirstProductionDeliveryAt is not { } at || !query.Contains(at) || !FlowScope.Covers(change, query))
            {
                continue;
            }

            var done = change.Stages.Where(s => s.Status == StageStatus.Done && stages.Contains(s.StageId) && FlowScope.Holds(s, query)).ToList();
            var working = Hours.Sum(done.Select(s => s.WorkingHours ?? 0));
            var elapsed = Hours.Sum(done.Select(Elapsed));
            if (elapsed > 0)
            {
                rows.Add(new ChangeEfficiency(change, working, elapsed));
            }
        }

        return [.. rows.OrderBy(r => r.Ratio).ThenBy(r => r.Change.Id, StringComparer.Ordinal)];
    }

    private static IEnumerable<StagePassage> IntervalsInScope(TimelineSnapshot snapshot, MetricsQuery query, string stage) =>
        snapshot.Changes.Values
            .Where(change => FlowScope.Covers(change, query))
            .SelectMany(change => change.Stages.Where(s => s.StageId == stage).Select(s => new StagePassage(change, s)));
}
