using Throughline.Model;
using Throughline.Timeline;

namespace Throughline.Metrics;

/// <summary>A distribution of durations in hours.</summary>
/// <param name="MedianHours">Median, or null without values.</param>
/// <param name="P75Hours">75th percentile (PERCENTILE_CONT), or null.</param>
/// <param name="P90Hours">90th percentile (PERCENTILE_CONT), or null.</param>
public sealed record Durations(double? MedianHours, double? P75Hours, double? P90Hours)
{
    /// <summary>The distribution of <paramref name="values"/>.</summary>
    public static Durations Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return new Durations(Percentile.Of(sorted, 0.5), Percentile.Of(sorted, 0.75), Percentile.Of(sorted, 0.9));
    }
}

/// <summary>The number of changes waiting for a stage at one instant.</summary>
/// <param name="At">The instant (the end of a day, UTC).</param>
/// <param name="Waiting">Changes whose previous stage had ended and this one had not started.</param>
public sealed record QueuePoint(DateTimeOffset At, int Waiting);

/// <summary>One stage of the flow over a window.</summary>
/// <param name="Stage">The stage id.</param>
/// <param name="Name">Its display name.</param>
/// <param name="Changes">Changes that passed it (its end in the window).</param>
/// <param name="Waiting">Time waiting before it.</param>
/// <param name="Working">Time in it.</param>
/// <param name="FlowEfficiency">Σ working ÷ Σ (waiting + working), or null when nothing passed.</param>
/// <param name="ShareOfLeadTime">The stage's share of the time delivered changes spent in all stages.</param>
/// <param name="Queue">Changes waiting for it at the end of each day of the window.</param>
public sealed record StageFlow(string Stage, string? Name, int Changes, Durations Waiting, Durations Working, double? FlowEfficiency, double? ShareOfLeadTime, IReadOnlyList<QueuePoint> Queue);

/// <summary>Work crossing from one team to another, and how long it waited there.</summary>
/// <param name="FromTeam">The team of the previous stage.</param>
/// <param name="ToTeam">The team of the stage after the handoff.</param>
/// <param name="Stage">The stage where the work arrived.</param>
/// <param name="Handoffs">How many times in the window.</param>
/// <param name="Waiting">How long the work waited at the boundary.</param>
public sealed record Handoff(string FromTeam, string ToTeam, string Stage, int Handoffs, Durations Waiting);

/// <summary>Flow metrics for one window and scope: per stage, per team boundary, and the bottleneck ranking.</summary>
/// <param name="Stages">Per stage, in flow order.</param>
/// <param name="Handoffs">Per team boundary, most waiting first.</param>
/// <param name="Bottlenecks">Stage ids by their share of lead time, largest first.</param>
public sealed record FlowMetrics(IReadOnlyList<StageFlow> Stages, IReadOnlyList<Handoff> Handoffs, IReadOnlyList<string> Bottlenecks);

/// <summary>Computes flow metrics from a timeline snapshot.</summary>
/// <remarks>A stage interval counts in the window when it ended in it; shares of lead time use delivered changes first delivered in the window.</remarks>
public static class FlowCalculator
{
    /// <summary>The flow metrics for <paramref name="query"/>.</summary>
    public static FlowMetrics Compute(TimelineSnapshot snapshot, OperatingModel? model, MetricsQuery query)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(query);
        if (model is null || model.Flow.Count == 0)
        {
            return new FlowMetrics([], [], []);
        }

        var changes = snapshot.Changes.Values.Where(c => InScope(c, model, query)).ToList();
        var done = changes.SelectMany(c => c.Stages).Where(s => s.Status == StageStatus.Done && s.EndedAt is { } end && query.Contains(end)).ToList();
        var delivered = changes.Where(c => c.FirstProductionDeliveryAt is { } at && query.Contains(at)).SelectMany(c => c.Stages).Where(s => s.Status == StageStatus.Done).ToList();
        var totalDelivered = delivered.Sum(Elapsed);
        var days = Days(query);
        var stages = model.Flow.Select(stage =>
        {
            var passed = done.Where(s => s.StageId == stage.Id).ToList();
            var elapsed = passed.Sum(Elapsed);
            var share = totalDelivered > 0 ? delivered.Where(s => s.StageId == stage.Id).Sum(Elapsed) / totalDelivered : (double?)null;
            var queue = Queue(changes.SelectMany(c => c.Stages).Where(s => s.StageId == stage.Id), days);
            return new StageFlow(stage.Id, stage.Name, passed.Count, Durations.Of(passed.Select(s => s.WaitingHours!.Value)), Durations.Of(passed.Select(s => s.WorkingHours!.Value)),
                elapsed > 0 ? passed.Sum(s => s.WorkingHours!.Value) / elapsed : null, share, queue);
        }).ToList();
        var handoffs = done.Where(s => s.Handoff && s.FromTeam is not null && s.Team is not null)
            .GroupBy(s => (s.FromTeam!, s.Team!, s.StageId))
            .Select(g => new Handoff(g.Key.Item1, g.Key.Item2, g.Key.StageId, g.Count(), Durations.Of(g.Select(s => s.WaitingHours!.Value))))
            .OrderByDescending(h => h.Waiting.MedianHours ?? 0)
            .ThenBy(h => h.Stage, StringComparer.Ordinal)
            .ToList();
        var bottlenecks = stages.Where(s => s.ShareOfLeadTime is > 0).OrderByDescending(s => s.ShareOfLeadTime).Select(s => s.Stage).ToList();
        return new FlowMetrics(stages, handoffs, bottlenecks);
    }

    private static bool InScope(ChangeTimeline change, OperatingModel model, MetricsQuery query)
    {
        var service = change.Services.FirstOrDefault() ?? change.Deliveries.FirstOrDefault()?.Service;
        return (query.Service is null && query.Team is null) || (service is not null && query.Covers(service, model));
    }

    private static double Elapsed(StageInterval stage) => (stage.WaitingHours ?? 0) + (stage.WorkingHours ?? 0);

    /// <summary>
    /// How many changes wait for the stage at each instant: ready at or before it, and neither started nor ended by
    /// then. Counted with two sorted lists (ready times, leave times), so it costs no more than a sort.
    /// </summary>
    private static List<QueuePoint> Queue(IEnumerable<StageInterval> intervals, List<DateTimeOffset> instants)
    {
        var ready = new List<long>();
        var left = new List<long>();
        foreach (var interval in intervals)
        {
            if (interval.ReadyAt is not { } readyAt)
            {
                continue;
            }

            var leftAt = interval.StartedAt ?? interval.EndedAt;
            if (leftAt is { } leaving && leaving < readyAt)
            {
                continue; // done out of order: never waited
            }

            ready.Add(readyAt.UtcTicks);
            if (leftAt is { } l)
            {
                left.Add(l.UtcTicks);
            }
        }

        ready.Sort();
        left.Sort();
        return [.. instants.Select(at => new QueuePoint(at, AtOrBefore(ready, at.UtcTicks) - AtOrBefore(left, at.UtcTicks)))];
    }

    private static int AtOrBefore(List<long> sorted, long value)
    {
        var index = sorted.BinarySearch(value);
        if (index < 0)
        {
            return ~index;
        }

        while (index + 1 < sorted.Count && sorted[index + 1] == value)
        {
            index++;
        }

        return index + 1;
    }

    /// <summary>The end of each UTC day of the window (the window's end for the last, partial day); at most 400 points.</summary>
    private static List<DateTimeOffset> Days(MetricsQuery query)
    {
        var points = new List<DateTimeOffset>();
        for (var day = new DateTimeOffset(query.From.UtcDateTime.Date, TimeSpan.Zero).AddDays(1); points.Count < 400; day = day.AddDays(1))
        {
            points.Add(day < query.To ? day : query.To);
            if (day >= query.To)
            {
                break;
            }
        }

        return points;
    }
}
