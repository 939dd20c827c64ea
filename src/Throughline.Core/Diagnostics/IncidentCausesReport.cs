using Throughline.Timeline;

namespace Throughline.Diagnostics;

/// <summary>The window's incidents grouped by what caused them, most costly recurrence first (docs/diagnostics.md, "Recurring incident causes").</summary>
/// <param name="Incidents">Incidents detected in the window, in scope.</param>
/// <param name="Recurring">The groups seen at least twice in the window: the warning sign "recurring post-mortem causes".</param>
/// <param name="Groups">Every group, ranked by <see cref="CauseGroup.Score"/> (largest first).</param>
public sealed record IncidentCausesReport(int Incidents, int Recurring, IReadOnlyList<CauseGroup> Groups);

/// <summary>The incidents of one service, caused at one stage, for one cause.</summary>
/// <param name="Service">The incident's service, or <see cref="IncidentCauses.NoService"/>.</param>
/// <param name="Stage">The stage of the change that caused it (<see cref="IncidentCauses.StageOf"/>), or one of
/// <see cref="IncidentCauses.Unattributed"/>, <see cref="IncidentCauses.NoChange"/>, <see cref="IncidentCauses.NoStage"/>.</param>
/// <param name="Cause">Its normalised labels, else keywords from its title (<see cref="IncidentCauses.CauseOf"/>), or <see cref="IncidentCauses.NoCause"/>.</param>
/// <param name="TotalRecoveryHours">The sum of the incidents' recovery times.</param>
/// <param name="MedianRecoveryHours">Their median (PERCENTILE_CONT): the impact of one occurrence.</param>
/// <param name="Score">Recurrence × impact: the count × <paramref name="MedianRecoveryHours"/>.</param>
/// <param name="LastSeen">When the latest of them was detected.</param>
/// <param name="LastFixedBy">What fixed the latest (<see cref="CausedIncident.FixedBy"/>); null while it is open or when nothing is recorded.</param>
/// <param name="Summary">"seen 3 times in 90 days, last fixed by rollback of checkout a17 (ravi)".</param>
/// <param name="Incidents">The incidents, in detection order.</param>
public sealed record CauseGroup(
    string Service, string Stage, string Cause, double TotalRecoveryHours, double MedianRecoveryHours, double Score, DateTimeOffset LastSeen,
    string? LastFixedBy, string Summary, IReadOnlyList<CausedIncident> Incidents)
{
    /// <summary>How many times it was seen in the window.</summary>
    public int Count => Incidents.Count;
}

/// <summary>One incident of a group, with the evidence behind its place there.</summary>
/// <param name="Id">The incident's id.</param>
/// <param name="Description">Its title, as its first detection gives it.</param>
/// <param name="DetectedAt">Its detection.</param>
/// <param name="ResolvedAt">Its latest resolution; null while open.</param>
/// <param name="RecoveryHours">Detection → resolution, or → the window's end while open.</param>
/// <param name="Deployment">The deployment it is attributed to, or null.</param>
/// <param name="Change">The change whose stage is the group's (the deployment's own change, else the last it delivered), or null.</param>
/// <param name="Sequence">The stored event of its first detection.</param>
/// <param name="FixedBy">What fixed it: the rollback or fix forward of its deployment when that came at or before its resolution,
/// with who resolved it; else who resolved it; null while open or when nothing says.</param>
public sealed record CausedIncident(
    string Id, string? Description, DateTimeOffset DetectedAt, DateTimeOffset? ResolvedAt, double RecoveryHours, DeploymentKey? Deployment,
    string? Change, long Sequence, string? FixedBy);
