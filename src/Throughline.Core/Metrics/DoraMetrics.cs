namespace Throughline.Metrics;

/// <summary>Deployment frequency: production deployments in the window.</summary>
/// <param name="Deployments">Production deployments (rollbacks included) in the window.</param>
/// <param name="DeploymentDays">Distinct UTC dates with at least one.</param>
/// <param name="PerDay">Deployments ÷ the window's length in days.</param>
/// <param name="Events">Stored events it rests on (the deployments).</param>
public sealed record DeploymentFrequency(int Deployments, int DeploymentDays, double PerDay, int Events);

/// <summary>Change lead time: first production delivery − start, over changes first delivered in the window.</summary>
/// <param name="Changes">Changes counted.</param>
/// <param name="MedianHours">Median, or null without changes.</param>
/// <param name="P75Hours">75th percentile (PERCENTILE_CONT), or null.</param>
/// <param name="P90Hours">90th percentile (PERCENTILE_CONT), or null.</param>
/// <param name="Predating">Changes delivered in the window but merged before the first production deployment held for their service: left out.</param>
/// <param name="Events">Stored events it rests on: each change's start event and the deployments that delivered them.</param>
public sealed record ChangeLeadTime(int Changes, double? MedianHours, double? P75Hours, double? P90Hours, int Predating, int Events);

/// <summary>Change failure rate: failed ÷ production deployments in the window.</summary>
/// <param name="Deployments">Production deployments in the window.</param>
/// <param name="FailedDeployments">Those with an attributed incident or followed by a rollback.</param>
/// <param name="Rate">Failed ÷ deployments, or null without deployments.</param>
/// <param name="Events">Stored events it rests on: the deployments, their attributed incidents and the rollbacks that followed them.</param>
public sealed record ChangeFailureRate(int Deployments, int FailedDeployments, double? Rate, int Events);

/// <summary>Failed deployment recovery time, over failed production deployments in the window.</summary>
/// <param name="Recovered">Failed deployments that recovered.</param>
/// <param name="Unrecovered">Failed deployments not recovered yet (not in the median).</param>
/// <param name="MedianHours">Median recovery time, or null when none recovered.</param>
/// <param name="Events">Stored events it rests on: the failed deployments, their incidents' detections and resolutions, and the deployments that recovered them.</param>
public sealed record FailedDeploymentRecoveryTime(int Recovered, int Unrecovered, double? MedianHours, int Events);

/// <summary>Deployment rework rate: rework ÷ production deployments in the window.</summary>
/// <param name="Deployments">Production deployments in the window.</param>
/// <param name="ReworkDeployments">Rollbacks, and first deployments after an attributed incident was detected while it is still open.</param>
/// <param name="Rate">Rework ÷ deployments, or null without deployments.</param>
/// <param name="Events">Stored events it rests on: the deployments and the incidents that made some of them rework.</param>
public sealed record DeploymentReworkRate(int Deployments, int ReworkDeployments, double? Rate, int Events);

/// <summary>The five DORA metrics (2024 names) for one window and scope.</summary>
public sealed record DoraMetrics(
    DeploymentFrequency DeploymentFrequency, ChangeLeadTime ChangeLeadTime, ChangeFailureRate ChangeFailureRate,
    FailedDeploymentRecoveryTime FailedDeploymentRecoveryTime, DeploymentReworkRate DeploymentReworkRate);

/// <summary>One bucket of a DORA series.</summary>
/// <param name="From">The bucket's first instant (inclusive).</param>
/// <param name="To">Its end (exclusive).</param>
/// <param name="Metrics">The five metrics over the bucket.</param>
public sealed record DoraPoint(DateTimeOffset From, DateTimeOffset To, DoraMetrics Metrics);

/// <summary>A production deployment behind a number, with what the metrics decided about it.</summary>
/// <param name="Deployment">The deployment.</param>
/// <param name="Rework">A rollback, or the first deployment after an attributed incident was detected while it was open.</param>
/// <param name="RecoveryHours">For a failed deployment, the time to recovery; null when not failed or not recovered yet.</param>
/// <param name="Incidents">The incidents attributed to it.</param>
/// <param name="Failed">Whether it failed (<c>Health/ReleaseVerdicts.cs</c>, <c>FailedAt</c>): the change failure rate counts it.</param>
public sealed record DeploymentEvidence(Timeline.Deployment Deployment, bool Rework, double? RecoveryHours, IReadOnlyList<Timeline.IncidentRecord> Incidents, bool Failed = false);

/// <summary>A change first delivered in the window, with its lead time (null when it predates the observed history).</summary>
/// <param name="Change">The change.</param>
/// <param name="Delivery">Its first delivery to an environment in scope.</param>
/// <param name="LeadHours">Its lead time in hours, or null when left out.</param>
public sealed record ChangeEvidence(Timeline.ChangeTimeline Change, Timeline.ChangeDelivery Delivery, double? LeadHours);
