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
/// <param name="At">The instant (the end of a day, UTC; the window's end for its last, partial day).</param>
/// <param name="Waiting">Changes that had entered the stage (the previous stage had ended) and not started it.</param>
public sealed record QueuePoint(DateTimeOffset At, int Waiting);

/// <summary>One stage of the flow over a window.</summary>
/// <param name="Stage">The stage id.</param>
/// <param name="Name">Its display name.</param>
/// <param name="Changes">Changes that passed it (its end in the window), held by the team asked for, if any.</param>
/// <param name="Waiting">Time waiting before it.</param>
/// <param name="Working">Time in it.</param>
/// <param name="FlowEfficiency">The stage's own efficiency: Σ working ÷ Σ (waiting + working) of the intervals that ended in the window, or null when nothing passed.</param>
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

/// <summary>
/// Flow efficiency of a window's delivered changes: working time ÷ elapsed time (waiting + working) of their stages in
/// scope, summed over the changes, and the median of each change's own ratio (docs/metrics.md, "Flow efficiency").
/// </summary>
/// <param name="Changes">Changes first delivered to production in the window with some time in a stage in scope.</param>
/// <param name="WorkingHours">Σ working time of those changes' stages in scope.</param>
/// <param name="ElapsedHours">Σ waiting + working time of the same stages.</param>
/// <param name="Overall">WorkingHours ÷ ElapsedHours; null when nothing was delivered.</param>
/// <param name="MedianPerChange">The median over the changes of each one's working ÷ elapsed; null when nothing was delivered.</param>
public sealed record FlowEfficiency(int Changes, double WorkingHours, double ElapsedHours, double? Overall, double? MedianPerChange)
{
    /// <summary>No delivered change: every ratio undefined.</summary>
    public static FlowEfficiency None { get; } = new(0, 0, 0, null, null);
}

/// <summary>Flow metrics for one window and scope: efficiency, per stage, per team boundary, and the bottleneck ranking.</summary>
/// <param name="Efficiency">The flow efficiency of the window's delivered changes.</param>
/// <param name="Stages">Per stage, in flow order.</param>
/// <param name="Handoffs">Per team boundary, most waiting first.</param>
/// <param name="Bottlenecks">Stage ids by their share of lead time, largest first.</param>
public sealed record FlowMetrics(FlowEfficiency Efficiency, IReadOnlyList<StageFlow> Stages, IReadOnlyList<Handoff> Handoffs, IReadOnlyList<string> Bottlenecks);
