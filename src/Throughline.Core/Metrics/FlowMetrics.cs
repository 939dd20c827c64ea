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
    public static Durations Of(IEnumerable<double> values) => Of(values.ToArray().AsSpan());

    /// <summary>The distribution of <paramref name="values"/>, which are reordered.</summary>
    public static Durations Of(Span<double> values)
    {
        var percentiles = Percentile.OfUnsorted(values, 0.5, 0.75, 0.9);
        return new Durations(percentiles[0], percentiles[1], percentiles[2]);
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
    /// <summary>A done stage interval, reduced to what the flow metrics aggregate: 32 bytes in an array, times and hours worked out once.</summary>
    private readonly record struct Passage(DateTimeOffset EndedAt, double Waiting, double Working)
    {
        public static Passage Of(StageInterval stage) => new(stage.EndedAt.GetValueOrDefault(), stage.WaitingHours ?? 0, stage.WorkingHours ?? 0);
    }

    /// <summary>Per stage: passages sorted by end, the stage's elapsed time per delivered change (sorted by delivery), and queue entries.</summary>
    private sealed record PreparedStage(
        Passage[] Passages, (DateTimeOffset DeliveredAt, double Elapsed)[] Delivered, long[] Ready, long[] Left,
        IReadOnlyList<((string From, string To) Boundary, Passage[] Passages)> Handoffs);

    /// <summary>The flow metrics for <paramref name="query"/>.</summary>
    /// <remarks>The stage intervals of a scope are gathered once per snapshot (and kept with it); a window is then a range of sorted lists.</remarks>
    public static FlowMetrics Compute(TimelineSnapshot snapshot, OperatingModel? model, MetricsQuery query)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(query);
        if (model is null || model.Flow.Count == 0)
        {
            return new FlowMetrics([], [], []);
        }

        // The same question about the same snapshot gets the same answer: kept with the snapshot.
        return MetricsCache.GetOrAdd(snapshot, "flow-answer\n" + query.Key, () => Aggregate(snapshot, model, query));
    }

    /// <summary>The flow of a window: counts, sorted values and exact sums, so the partitions' order does not matter.</summary>
    private static FlowMetrics Aggregate(TimelineSnapshot snapshot, OperatingModel model, MetricsQuery query)
    {
        var prepared = Prepare(snapshot, model, query);
        var days = Days(query);
        var delivered = model.Flow.ToDictionary(
            stage => stage.Id, stage => Hours.Sum(TimeRange.Of(prepared.Select(p => p[stage.Id].Delivered), d => d.DeliveredAt, query).Select(d => d.Elapsed)),
            StringComparer.Ordinal);
        var totalDelivered = Hours.Sum(delivered.Values);
        var stages = model.Flow.Select(stage =>
        {
            var parts = prepared.Select(p => p[stage.Id]).ToList();
            return Passed(stage, TimeRange.Slices(parts.Select(p => p.Passages), x => x.EndedAt, query), totalDelivered > 0 ? delivered[stage.Id] / totalDelivered : null,
                [.. days.Select(at => new QueuePoint(at, parts.Sum(p => AtOrBefore(p.Ready, at.UtcTicks) - AtOrBefore(p.Left, at.UtcTicks))))]);
        }).ToList();
        var handoffs = model.Flow
            .SelectMany(stage => prepared
                .SelectMany(p => p[stage.Id].Handoffs)
                .GroupBy(h => h.Boundary)
                .Select(g => (Stage: stage.Id, g.Key, Passed: TimeRange.Of(g.Select(h => h.Passages), x => x.EndedAt, query))))
            .Where(h => h.Passed.Count > 0)
            .Select(h => new Handoff(h.Key.From, h.Key.To, h.Stage, h.Passed.Count, Durations.Of(h.Passed.Select(x => x.Waiting))))
            .OrderByDescending(h => h.Waiting.MedianHours ?? 0)
            .ThenBy(h => h.Stage, StringComparer.Ordinal)
            .ThenBy(h => h.FromTeam, StringComparer.Ordinal)
            .ThenBy(h => h.ToTeam, StringComparer.Ordinal)
            .ToList();
        var bottlenecks = stages.Where(s => s.ShareOfLeadTime is > 0).OrderByDescending(s => s.ShareOfLeadTime).Select(s => s.Stage).ToList();
        return new FlowMetrics(stages, handoffs, bottlenecks);
    }

    /// <summary>The ids of the stages some change passed within the query's window and scope.</summary>
    public static IReadOnlyList<string> StagesPassed(TimelineSnapshot snapshot, OperatingModel? model, MetricsQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (model is null || model.Flow.Count == 0)
        {
            return [];
        }

        var prepared = Prepare(snapshot, model, query);
        return [.. model.Flow.Where(stage => TimeRange.Of(prepared.Select(p => p[stage.Id].Passages), x => x.EndedAt, query).Count > 0).Select(stage => stage.Id)];
    }

    private static IReadOnlyList<Dictionary<string, PreparedStage>> Prepare(TimelineSnapshot snapshot, OperatingModel model, MetricsQuery query) =>
        MetricsCache.PerPartition(snapshot, $"flow\n{query.Service}\n{query.Team}", part => PrepareLeaf(part, model, query));

    private static Dictionary<string, PreparedStage> PrepareLeaf(TimelineSnapshot snapshot, OperatingModel model, MetricsQuery query)
    {
        var passages = model.Flow.ToDictionary(s => s.Id, _ => new List<StageInterval>(), StringComparer.Ordinal);
        var delivered = model.Flow.ToDictionary(s => s.Id, _ => new List<(DateTimeOffset, double)>(), StringComparer.Ordinal);
        var ready = model.Flow.ToDictionary(s => s.Id, _ => new List<long>(), StringComparer.Ordinal);
        var left = model.Flow.ToDictionary(s => s.Id, _ => new List<long>(), StringComparer.Ordinal);
        foreach (var change in snapshot.Changes.Values)
        {
            if (!InScope(change, model, query))
            {
                continue;
            }

            foreach (var stage in change.Stages)
            {
                if (!passages.TryGetValue(stage.StageId, out var list))
                {
                    continue;
                }

                if (stage.Status == StageStatus.Done)
                {
                    list.Add(stage);
                    if (change.FirstProductionDeliveryAt is { } at)
                    {
                        delivered[stage.StageId].Add((at, Elapsed(stage)));
                    }
                }

                AddQueueEntry(stage, ready[stage.StageId], left[stage.StageId]);
            }
        }

        return model.Flow.ToDictionary(
            s => s.Id,
            s => new PreparedStage(
                Sorted(passages[s.Id]), [.. delivered[s.Id].OrderBy(x => x.Item1)], [.. ready[s.Id].Order()], [.. left[s.Id].Order()],
                [.. passages[s.Id].Where(x => x.Handoff && x.FromTeam is not null && x.Team is not null)
                    .GroupBy(x => (x.FromTeam!, x.Team!))
                    .Select(g => (g.Key, Sorted(g)))]),
            StringComparer.Ordinal);
    }

    private static bool InScope(ChangeTimeline change, OperatingModel model, MetricsQuery query)
    {
        var service = change.Services.FirstOrDefault() ?? change.Deliveries.FirstOrDefault()?.Service;
        return (query.Service is null && query.Team is null) || (service is not null && query.Covers(service, model));
    }

    /// <summary>
    /// A stage's flow from the passages in the window, read where they lie: a year of a large organisation is millions of
    /// them, and copies that size land on the large object heap, whose collections cost more than the arithmetic.
    /// </summary>
    private static StageFlow Passed(FlowStage stage, List<ArraySegment<Passage>> slices, double? shareOfLeadTime, IReadOnlyList<QueuePoint> queue)
    {
        var count = slices.Sum(s => s.Count);
        var waiting = System.Buffers.ArrayPool<double>.Shared.Rent(count);
        var working = System.Buffers.ArrayPool<double>.Shared.Rent(count);
        try
        {
            var (i, elapsed, worked) = (0, (Int128)0, (Int128)0);
            foreach (var slice in slices)
            {
                foreach (var passage in slice.AsSpan())
                {
                    (waiting[i], working[i]) = (passage.Waiting, passage.Working);
                    elapsed += Hours.Ticks(passage.Waiting + passage.Working);
                    worked += Hours.Ticks(passage.Working);
                    i++;
                }
            }

            return new StageFlow(stage.Id, stage.Name, count, Durations.Of(waiting.AsSpan(0, count)), Durations.Of(working.AsSpan(0, count)),
                elapsed > 0 ? Hours.Of(worked) / Hours.Of(elapsed) : null, shareOfLeadTime, queue);
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(waiting);
            System.Buffers.ArrayPool<double>.Shared.Return(working);
        }
    }

    private static double Elapsed(StageInterval stage) => (stage.WaitingHours ?? 0) + (stage.WorkingHours ?? 0);

    private static Passage[] Sorted(IEnumerable<StageInterval> done) => [.. done.Select(Passage.Of).OrderBy(x => x.EndedAt)];

    /// <summary>
    /// Records when a change became ready for a stage and when it left the queue (started, or ended without a start):
    /// the number waiting at an instant is then (ready at or before it) − (left at or before it).
    /// </summary>
    private static void AddQueueEntry(StageInterval interval, List<long> ready, List<long> left)
    {
        if (interval.ReadyAt is not { } readyAt)
        {
            return;
        }

        var leftAt = interval.StartedAt ?? interval.EndedAt;
        if (leftAt is { } leaving && leaving < readyAt)
        {
            return; // done out of order: never waited
        }

        ready.Add(readyAt.UtcTicks);
        if (leftAt is { } l)
        {
            left.Add(l.UtcTicks);
        }
    }

    private static int AtOrBefore(long[] sorted, long value)
    {
        var index = Array.BinarySearch(sorted, value);
        if (index < 0)
        {
            return ~index;
        }

        while (index + 1 < sorted.Length && sorted[index + 1] == value)
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
