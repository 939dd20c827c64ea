using Throughline.Timeline;

namespace Throughline.Metrics;

/// <summary>
/// Which stage intervals a flow question covers: the one rule the flow metrics, their evidence and the queue counts share.
/// </summary>
/// <remarks>
/// <para><c>service</c> keeps the changes of that service (the first service a change touched, else the one it was
/// delivered to). <c>team</c> keeps the work the team <em>holds</em>: the stage intervals whose owner, resolved for the
/// change's service, is that team, whatever service the change belongs to; a handoff counts when it is into or out of the
/// team. DORA metrics by team keep the services the team owns instead (<see cref="MetricsQuery.Covers"/>).</para>
/// </remarks>
internal static class FlowScope
{
    /// <summary>The service a change's flow is counted under.</summary>
    public static string? ServiceOf(ChangeTimeline change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return change.Services.Count > 0 ? change.Services[0] : change.Deliveries.FirstOrDefault()?.Service;
    }

    /// <summary>Whether the change is in the question's service scope (every change when no service is asked for).</summary>
    public static bool Covers(ChangeTimeline change, MetricsQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return query.Service is null || ServiceOf(change) == query.Service;
    }

    /// <summary>Whether the interval is held by the team asked for (every interval when no team is asked for).</summary>
    public static bool Holds(StageInterval interval, MetricsQuery query)
    {
        ArgumentNullException.ThrowIfNull(interval);
        ArgumentNullException.ThrowIfNull(query);
        return query.Team is null || interval.Team == query.Team;
    }

    /// <summary>Whether the interval is a handoff into or out of the team asked for (any handoff when no team is asked for).</summary>
    public static bool Crosses(StageInterval interval, MetricsQuery query)
    {
        ArgumentNullException.ThrowIfNull(interval);
        ArgumentNullException.ThrowIfNull(query);
        return interval.Handoff && interval.FromTeam is not null && interval.Team is not null
            && (query.Team is null || interval.Team == query.Team || interval.FromTeam == query.Team);
    }

    /// <summary>
    /// When a change joined the stage's queue and when it left it (started, or ended for a stage without a start event;
    /// null while still waiting); null when it never queued (the stage was done out of order, or never entered).
    /// </summary>
    public static (DateTimeOffset Entered, DateTimeOffset? Left)? Queued(StageInterval interval)
    {
        ArgumentNullException.ThrowIfNull(interval);
        if (interval.ReadyAt is not { } entered)
        {
            return null;
        }

        var left = interval.StartedAt ?? interval.EndedAt;
        return left is { } l && l < entered ? null : (entered, left);
    }
}
