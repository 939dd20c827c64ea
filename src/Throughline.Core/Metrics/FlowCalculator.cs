using Throughline.Model;
using Throughline.Timeline;

namespace Throughline.Metrics;

/// <summary>Computes flow metrics from a timeline snapshot.</summary>
/// <remarks>
/// A stage interval counts in the window when it ended in it; efficiency and shares of lead time use the changes first
/// delivered to production in the window. Scope is <see cref="FlowScope"/>'s rule.
/// </remarks>
public static partial class FlowCalculator
{
    /// <summary>A done stage interval, reduced to what the flow metrics aggregate: 32 bytes in an array, times and hours worked out once.</summary>
    private readonly record struct Passage(DateTimeOffset EndedAt, double Waiting, double Working)
    {
        public static Passage Of(StageInterval stage) => new(stage.EndedAt.GetValueOrDefault(), stage.WaitingHours ?? 0, stage.WorkingHours ?? 0);
    }

    /// <summary>A delivered change's time in the stages in scope: what its flow efficiency is made of.</summary>
    private readonly record struct DeliveredChange(DateTimeOffset DeliveredAt, double Working, double Elapsed);

    /// <summary>Per stage: passages sorted by end, the stage's elapsed time per delivered change (sorted by delivery), and queue entries.</summary>
    private sealed record PreparedStage(
        Passage[] Passages, (DateTimeOffset DeliveredAt, double Elapsed)[] Delivered, long[] Ready, long[] Left,
        IReadOnlyList<((string From, string To) Boundary, Passage[] Passages)> Handoffs);

    /// <summary>One partition's flow, prepared once per scope: per stage, and the delivered changes sorted by delivery.</summary>
    private sealed record PreparedFlow(Dictionary<string, PreparedStage> Stages, DeliveredChange[] Delivered);

    /// <summary>The answer to one question, kept with the snapshot.</summary>
    private sealed record AnswerKey(MetricsQuery Query) : DerivedKey<FlowMetrics>;

    /// <summary>The stage intervals of a service or team scope (flow reads every environment), kept with each partition's snapshot.</summary>
    private sealed record PreparedKey(string? Service, string? Team) : DerivedKey<PreparedFlow>;

    /// <summary>The flow metrics for <paramref name="query"/>.</summary>
    /// <remarks>The stage intervals of a scope are gathered once per snapshot (and kept with it); a window is then a range of sorted lists.</remarks>
    public static FlowMetrics Compute(TimelineSnapshot snapshot, OperatingModel? model, MetricsQuery query)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(query);
        if (model is null || model.Flow.Count == 0)
        {
            return new FlowMetrics(FlowEfficiency.None, [], [], []);
        }

        // The same question about the same snapshot gets the same answer: kept with the snapshot.
        return snapshot.Derived.GetOrAdd(new AnswerKey(query), () => Aggregate(snapshot, model, query));
    }

    /// <summary>The flow of a window: counts, sorted values and exact sums, so the partitions' order does not matter.</summary>
    private static FlowMetrics Aggregate(TimelineSnapshot snapshot, OperatingModel model, MetricsQuery query)
    {
        var prepared = Prepare(snapshot, model, query);
        var days = QueueDays(query);
        var delivered = model.Flow.ToDictionary(
            stage => stage.Id, stage => Hours.Sum(TimeRange.Of(prepared.Select(p => p.Stages[stage.Id].Delivered), d => d.DeliveredAt, query).Select(d => d.Elapsed)),
            StringComparer.Ordinal);
        var totalDelivered = Hours.Sum(delivered.Values);
        var stages = model.Flow.Select(stage =>
        {
            var parts = prepared.Select(p => p.Stages[stage.Id]).ToList();
            return Passed(stage, TimeRange.Slices(parts.Select(p => p.Passages), x => x.EndedAt, query), totalDelivered > 0 ? delivered[stage.Id] / totalDelivered : null,
                [.. days.Select(at => new QueuePoint(at, parts.Sum(p => AtOrBefore(p.Ready, at.UtcTicks) - AtOrBefore(p.Left, at.UtcTicks))))]);
        }).ToList();
        var handoffs = model.Flow
            .SelectMany(stage => prepared
                .SelectMany(p => p.Stages[stage.Id].Handoffs)
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
        return new FlowMetrics(Efficiency(TimeRange.Of(prepared.Select(p => p.Delivered), d => d.DeliveredAt, query)), stages, handoffs, bottlenecks);
    }

    /// <summary>Σ working ÷ Σ elapsed over the delivered changes, and the median of their own ratios.</summary>
    private static FlowEfficiency Efficiency(List<DeliveredChange> changes)
    {
        if (changes.Count == 0)
        {
            return FlowEfficiency.None;
        }

        var working = Hours.Sum(changes.Select(c => c.Working));
        var elapsed = Hours.Sum(changes.Select(c => c.Elapsed));
        var ratios = changes.Select(c => c.Working / c.Elapsed).ToArray();
        return new FlowEfficiency(changes.Count, working, elapsed, working / elapsed, Percentile.OfUnsorted(ratios, 0.5)[0]);
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
        return [.. model.Flow.Where(stage => TimeRange.Of(prepared.Select(p => p.Stages[stage.Id].Passages), x => x.EndedAt, query).Count > 0).Select(stage => stage.Id)];
    }

    private static IReadOnlyList<PreparedFlow> Prepare(TimelineSnapshot snapshot, OperatingModel model, MetricsQuery query) =>
        snapshot.Derived.PerPartition(new PreparedKey(query.Service, query.Team), part => PrepareLeaf(part, model, query));

    private static PreparedFlow PrepareLeaf(TimelineSnapshot snapshot, OperatingModel model, MetricsQuery query)
    {
        var passages = model.Flow.ToDictionary(s => s.Id, _ => new List<StageInterval>(), StringComparer.Ordinal);
        var crossings = model.Flow.ToDictionary(s => s.Id, _ => new List<StageInterval>(), StringComparer.Ordinal);
        var delivered = model.Flow.ToDictionary(s => s.Id, _ => new List<(DateTimeOffset, double)>(), StringComparer.Ordinal);
        var ready = model.Flow.ToDictionary(s => s.Id, _ => new List<long>(), StringComparer.Ordinal);
        var left = model.Flow.ToDictionary(s => s.Id, _ => new List<long>(), StringComparer.Ordinal);
        var changes = new List<DeliveredChange>();
        foreach (var change in snapshot.Changes.Values)
        {
            if (!FlowScope.Covers(change, query))
            {
                continue;
            }

            var (working, elapsed) = (0L, 0L);
            foreach (var stage in change.Stages)
            {
                if (!passages.TryGetValue(stage.StageId, out var list))
                {
                    continue;
                }

                if (stage.Status == StageStatus.Done && FlowScope.Crosses(stage, query))
                {
                    crossings[stage.StageId].Add(stage);
                }

                if (!FlowScope.Holds(stage, query))
                {
                    continue;
                }

                if (stage.Status == StageStatus.Done)
                {
                    list.Add(stage);
                    working += Hours.Ticks(stage.WorkingHours ?? 0);
                    elapsed += Hours.Ticks(Elapsed(stage));
                    if (change.FirstProductionDeliveryAt is { } at)
                    {
                        delivered[stage.StageId].Add((at, Elapsed(stage)));
                    }
                }

                if (FlowScope.Queued(stage) is { } queued)
                {
                    ready[stage.StageId].Add(queued.Entered.UtcTicks);
                    if (queued.Left is { } l)
                    {
                        left[stage.StageId].Add(l.UtcTicks);
                    }
                }
            }

            if (change.FirstProductionDeliveryAt is { } deliveredAt && elapsed > 0)
            {
                changes.Add(new DeliveredChange(deliveredAt, Hours.Of(working), Hours.Of(elapsed)));
            }
        }

        var stages = model.Flow.ToDictionary(
            s => s.Id,
            s => new PreparedStage(
                Sorted(passages[s.Id]), [.. delivered[s.Id].OrderBy(x => x.Item1)], [.. ready[s.Id].Order()], [.. left[s.Id].Order()],
                [.. crossings[s.Id].GroupBy(x => (x.FromTeam!, x.Team!)).Select(g => (g.Key, Sorted(g)))]),
            StringComparer.Ordinal);
        return new PreparedFlow(stages, [.. changes.OrderBy(c => c.DeliveredAt)]);
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
    public static IReadOnlyList<DateTimeOffset> QueueDays(MetricsQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
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
