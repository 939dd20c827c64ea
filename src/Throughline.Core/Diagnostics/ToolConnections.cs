using Throughline.Metrics;
using Throughline.Model;
using Throughline.Timeline;

namespace Throughline.Diagnostics;

/// <summary>How one declared tool really connects (docs/diagnostics.md, "Tools as they connect").</summary>
/// <param name="Tool">The tool id.</param>
/// <param name="Kind">The tool's kind.</param>
/// <param name="LastEventAt">The latest time of its events up to the window's end; null when none was ever seen.</param>
/// <param name="LastEvent">That event's sequence number.</param>
/// <param name="Events">Its events with a time in the window, unmapped ones included.</param>
/// <param name="EventsPerDay"><paramref name="Events"/> ÷ the window's length in days.</param>
/// <param name="Unmapped">Of <paramref name="Events"/>, those Throughline stored without interpreting.</param>
/// <param name="Stages">The stages its events started or ended, in the window, with how many stage intervals each.</param>
/// <param name="RefusedDeliveries">Deliveries to its hook refused (bad signature or token), as the caller counted them.</param>
/// <param name="MedianGapHours">The median time between its consecutive events up to the window's end; null with fewer than <see cref="ToolConnections.MinGaps"/> gaps.</param>
/// <param name="LongestGapHours">
/// Its longest quiet spell (gap between consecutive events) ending in the <see cref="ToolConnections.LongestGapLookback"/> before its
/// last event: the nights and weekends it usually has; null with fewer than <see cref="ToolConnections.MinGaps"/> gaps.
/// </param>
/// <param name="SilentHours">Hours from its last event to the window's end; null when it never sent one.</param>
/// <param name="Silent">
/// True when <paramref name="SilentHours"/> is more than <see cref="ToolConnections.SilenceFactor"/> times <paramref name="MedianGapHours"/>
/// and more than <paramref name="LongestGapHours"/>: quieter than it has been for a month.
/// </param>
public sealed record ToolConnection(
    string Tool, string Kind, DateTimeOffset? LastEventAt, long? LastEvent, int Events, double EventsPerDay, int Unmapped,
    IReadOnlyList<StageFed> Stages, int RefusedDeliveries, double? MedianGapHours, double? LongestGapHours, double? SilentHours, bool Silent)
{
    /// <summary><see cref="Unmapped"/> ÷ <see cref="Events"/>; null when it sent nothing in the window.</summary>
    public double? UnmappedShare => Events == 0 ? null : (double)Unmapped / Events;
}

/// <summary>A stage a tool's events fed.</summary>
/// <param name="Stage">The stage id.</param>
/// <param name="Intervals">Stage intervals that ended in the window whose start or end event came from the tool.</param>
public sealed record StageFed(string Stage, int Intervals);

/// <summary>Per declared tool: what it sent, when it last did, what it fed, and whether it has gone quiet.</summary>
/// <remarks>
/// <para>An event is a tool's by <see cref="EventTools.ToolOf"/>. Events count when their own time is in the window
/// ([<c>from</c>, <c>to</c>)); the last event and the usual gap look at every event before <c>to</c>. The scope
/// (<c>service</c>, <c>team</c>) narrows only the stages fed: events carry no service here.</para>
/// <para>Silence is judged at the window's end: a tool is silent when the time since its last event is more than
/// <see cref="SilenceFactor"/> times the median gap between its consecutive events, and longer than its longest quiet spell
/// of the month before its last event (so a night or a weekend is not silence) (at least <see cref="MinGaps"/> gaps,
/// else no judgement).</para>
/// <para>Refused deliveries are known only to the audit log, so the caller counts them and passes them in.</para>
/// </remarks>
public static class ToolConnections
{
    /// <summary>How many times its usual gap a tool may stay quiet before it is flagged.</summary>
    public const double SilenceFactor = 3;

    /// <summary>The fewest gaps between events (so events minus one) a usual gap is judged from.</summary>
    public const int MinGaps = 4;

    /// <summary>How far before its last event a tool's quiet spells count as usual ones.</summary>
    public static readonly TimeSpan LongestGapLookback = TimeSpan.FromDays(30);

    /// <summary>Every declared tool's connection, in the model's order.</summary>
    /// <param name="snapshot">The timeline.</param>
    /// <param name="model">The operating model.</param>
    /// <param name="query">The window (and the scope of the stages fed).</param>
    /// <param name="events">Every stored event up to the window's end, unmapped ones included.</param>
    /// <param name="refused">Refused deliveries in the window by tool id (from the audit log); tools not in it refused none.</param>
    public static IReadOnlyList<ToolConnection> Compute(
        TimelineSnapshot snapshot, OperatingModel model, MetricsQuery query, IReadOnlyList<ObservedEvent> events, IReadOnlyDictionary<string, int> refused)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(refused);
        var byTool = new Dictionary<string, List<ObservedEvent>>(StringComparer.Ordinal);
        var toolOf = new Dictionary<long, string>();
        foreach (var observed in events.Where(e => e.Time < query.To))
        {
            if (EventTools.ToolOf(observed, model) is { } tool)
            {
                if (!byTool.TryGetValue(tool.Id, out var list))
                {
                    byTool[tool.Id] = list = [];
                }

                list.Add(observed);
                toolOf.TryAdd(observed.Sequence, tool.Id);
            }
        }

        var fed = StagesFed(snapshot, model, query, toolOf);
        return [.. model.Tools.Select(tool => Connection(tool, byTool.GetValueOrDefault(tool.Id) ?? [], query, fed, refused.GetValueOrDefault(tool.Id)))];
    }

    private static ToolConnection Connection(
        Tool tool, List<ObservedEvent> events, MetricsQuery query, List<(string Tool, string Stage, int Intervals)> fed, int refused)
    {
        events.Sort((a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : a.Sequence.CompareTo(b.Sequence));
        var inWindow = events.Where(e => query.Contains(e.Time)).ToList();
        var last = events.Count > 0 ? events[^1] : null;
        var gaps = new List<double>(Math.Max(0, events.Count - 1));
        for (var i = 1; i < events.Count; i++)
        {
            gaps.Add((events[i].Time - events[i - 1].Time).TotalHours);
        }

        // The longest quiet spell of the last 30 days before its last event: nights and weekends are usual, not silence.
        var recent = last is null ? 0 : events.FindIndex(e => e.Time >= last.Time - LongestGapLookback);
        double? longest = gaps.Count >= MinGaps ? gaps.Skip(Math.Max(0, recent - 1)).DefaultIfEmpty(0).Max() : null;
        gaps.Sort();
        var median = gaps.Count >= MinGaps ? Percentile.Of(gaps, 0.5) : null;
        double? silent = last is null ? null : (query.To - last.Time).TotalHours;
        var stages = fed.Where(f => f.Tool == tool.Id).Select(f => new StageFed(f.Stage, f.Intervals)).ToList();
        return new ToolConnection(
            tool.Id, tool.Kind.Name, last?.Time, last?.Sequence, inWindow.Count, inWindow.Count / query.Days, inWindow.Count(e => !e.Mapped),
            stages, refused, median, longest, silent, median is { } usual && silent > Math.Max(SilenceFactor * usual, longest ?? 0));
    }

    /// <summary>Per tool and stage, the done intervals ending in the window (in scope) whose start or end event is the tool's, in the flow's order.</summary>
    private static List<(string Tool, string Stage, int Intervals)> StagesFed(
        TimelineSnapshot snapshot, OperatingModel model, MetricsQuery query, Dictionary<long, string> toolOf)
    {
        var counts = new Dictionary<(string Tool, string Stage), int>();
        foreach (var change in snapshot.Changes.Values.Where(c => FlowScope.Covers(c, query)))
        {
            foreach (var interval in change.Stages)
            {
                if (interval is not { Status: StageStatus.Done, EndedAt: { } ended } || !query.Contains(ended) || !FlowScope.Holds(interval, query))
                {
                    continue;
                }

                var start = interval.StartEvent is { } s ? toolOf.GetValueOrDefault(s) : null;
                var end = interval.EndEvent is { } e ? toolOf.GetValueOrDefault(e) : null;
                foreach (var tool in new[] { start, end }.OfType<string>().Distinct(StringComparer.Ordinal))
                {
                    counts[(tool, interval.StageId)] = counts.GetValueOrDefault((tool, interval.StageId)) + 1;
                }
            }
        }

        var order = model.Flow.Select((s, i) => (s.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        return [.. counts.OrderBy(c => order.GetValueOrDefault(c.Key.Stage, int.MaxValue)).Select(c => (c.Key.Tool, c.Key.Stage, c.Value))];
    }
}
