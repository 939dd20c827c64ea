using System.Text.Json.Serialization;

namespace Throughline.Timeline;

/// <summary>What identifies a deployment: its event's source and id, together.</summary>
/// <remarks>
/// An id alone is not enough: two tools, or two instances of one (two Argo CD installations each naming a deployment after
/// its application), may send the same id. Everything that refers to a deployment (an incident's attribution, a change's
/// delivery, the metrics, the board and the pages) compares this pair, never the id alone.
/// </remarks>
/// <param name="Source">The deployment event's <c>context.source</c>.</param>
/// <param name="Id">The deployment event's <c>context.id</c>.</param>
public readonly record struct DeploymentKey(string Source, string Id);

/// <summary>A deployment that delivered a change to an environment.</summary>
/// <param name="DeploymentId">The deployment event's id.</param>
/// <param name="Service">The service deployed.</param>
/// <param name="Environment">The environment deployed to.</param>
/// <param name="Production">Whether the environment counts as production.</param>
/// <param name="At">The deployment's time.</param>
/// <param name="RodeAlong">True when the change was not the deployed artifact's own change but an earlier merged one it carried.</param>
/// <param name="DeploymentSource">The deployment event's source; with <paramref name="DeploymentId"/> it identifies the deployment.</param>
public sealed record ChangeDelivery(string DeploymentId, string Service, string Environment, bool Production, DateTimeOffset At, bool RodeAlong, string DeploymentSource)
{
    /// <summary>The deployment that delivered the change.</summary>
    [JsonIgnore]
    public DeploymentKey DeploymentKey => new(DeploymentSource, DeploymentId);
}

/// <summary>A deployment of a service to an environment, with what it delivered and whether it failed.</summary>
/// <param name="Id">The deployment event's id.</param>
/// <param name="Service">The service (the model's id when the model names it).</param>
/// <param name="Environment">The environment.</param>
/// <param name="Production">Whether the environment counts as production.</param>
/// <param name="At">When it happened.</param>
/// <param name="ArtifactId">The artifact deployed.</param>
/// <param name="IsRollback">A rollback: delivers nothing.</param>
/// <param name="ChangeId">The change the artifact was packaged from, when known.</param>
/// <param name="Delivered">The changes it delivered (its own and those that rode along), in merge order.</param>
/// <param name="Incidents">Incidents attributed to it.</param>
/// <param name="RolledBackAt">When the next deployment of the same service and environment was a rollback: its time.</param>
/// <param name="Source">The deployment event's source; with <paramref name="Id"/> it identifies the deployment (<see cref="Key"/>).</param>
/// <param name="Checks">Production only: the test suite and pipeline runs that finished after it and before the next deployment of
/// its service and environment, naming its artifact, or its service and environment (the release-health signals read them).</param>
/// <param name="HealthEvents">The events Throughline wrote about it while verifying it and acting on its verdict, in time order.</param>
/// <param name="Next">The next deployment of the same service and environment, when there is one.</param>
/// <param name="NextAt">Its time.</param>
/// <remarks>Whether a deployment failed is decided in one place, <c>Health/ReleaseVerdicts.cs</c>, for the verdicts and the DORA
/// numbers alike.</remarks>
public sealed record Deployment(
    string Id, string Service, string Environment, bool Production, DateTimeOffset At, string? ArtifactId, bool IsRollback,
    string? ChangeId, IReadOnlyList<string> Delivered, IReadOnlyList<string> Incidents, DateTimeOffset? RolledBackAt, string Source = "",
    IReadOnlyList<Fact>? Checks = null, IReadOnlyList<Fact>? HealthEvents = null, DeploymentKey? Next = null, DateTimeOffset? NextAt = null)
{
    /// <summary>What identifies the deployment: its source and id.</summary>
    [JsonIgnore]
    public DeploymentKey Key => new(Source, Id);
}

/// <summary>An incident and the deployment it is attributed to, with the basis of that link.</summary>
/// <param name="Id">The incident's id (subject.id).</param>
/// <param name="Service">The affected service, when named.</param>
/// <param name="Environment">The affected environment, when named.</param>
/// <param name="DetectedAt">The earliest detection.</param>
/// <param name="ResolvedAt">The latest resolution, or null while open.</param>
/// <param name="ArtifactId">The artifact the incident names, when it does.</param>
/// <param name="DeploymentId">The id of the deployment it is attributed to, or null.</param>
/// <param name="Basis"><c>artifact</c> (the deployment of the named artifact) or <c>window</c> (the latest deployment within the attribution window); null when unattributed.</param>
/// <param name="UnattributedReason">Why it is not attributed, when it is not.</param>
/// <param name="DeploymentSource">The source of the deployment it is attributed to, or null; with <paramref name="DeploymentId"/> it identifies the deployment.</param>
/// <param name="Source">The source of its first detection (a paging tool, Alertmanager, Argo CD).</param>
/// <param name="DetectedSequence">The stored event of its first detection.</param>
/// <param name="Description">What its first detection says, when it says anything.</param>
/// <param name="Labels">The labels its detections carry (<c>subject.content.labels</c>, else <c>customData.labels</c>: Opsgenie's tags,
/// the Alertmanager rule's name), in the order first seen, each once; null when none does. What it is about, as its tool names it.</param>
/// <param name="ResolvedBy">Who its latest resolution says acted (the event's actor: PagerDuty's agent, Opsgenie's user), or null.</param>
/// <remarks>The labels and the resolver are not part of the API's answers (yet): the diagnostics read them.</remarks>
public sealed record IncidentRecord(
    string Id, string? Service, string? Environment, DateTimeOffset DetectedAt, DateTimeOffset? ResolvedAt, string? ArtifactId,
    string? DeploymentId, string? Basis, string? UnattributedReason, string? DeploymentSource, string? Source = null, long DetectedSequence = 0,
    string? Description = null, [property: JsonIgnore] IReadOnlyList<string>? Labels = null, [property: JsonIgnore] string? ResolvedBy = null)
{
    /// <summary>The deployment it is attributed to, or null.</summary>
    [JsonIgnore]
    public DeploymentKey? DeploymentKey => DeploymentId is null ? null : new DeploymentKey(DeploymentSource ?? "", DeploymentId);
}
