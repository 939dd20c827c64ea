namespace Throughline.Board;

/// <summary>Where a change is: the stage, who holds it, since when it has been at that stage (it entered it), and when work in it started.</summary>
/// <param name="Stage">The stage id.</param>
/// <param name="Name">The stage's display name.</param>
/// <param name="Team">The team holding the change there.</param>
/// <param name="Status"><c>waiting</c> (entered, not started) or <c>in-progress</c>.</param>
/// <param name="Since">When it entered the stage.</param>
/// <param name="StartedAt">When work in the stage started, if it has.</param>
public sealed record Position(string Stage, string? Name, string? Team, string Status, DateTimeOffset? Since, DateTimeOffset? StartedAt);

/// <summary>A change in flight on the board.</summary>
/// <param name="ChangeId">The change.</param>
/// <param name="Title">Its title, when known.</param>
/// <param name="Author">Its author, when known.</param>
/// <param name="State"><c>open</c> or <c>merged</c>.</param>
/// <param name="Stage">The stage it is at, or null when it is not on the flow.</param>
/// <param name="StageName">That stage's display name.</param>
/// <param name="Team">The team holding it.</param>
/// <param name="Status"><c>waiting</c> or <c>in-progress</c>.</param>
/// <param name="Since">When it entered the stage.</param>
/// <param name="WaitedHours">How long it has been at the stage, at the board's time.</param>
/// <param name="UsualWaitHours">The stage's usual age (<see cref="Metrics.UsualAge"/>), or null without enough history.</param>
/// <param name="Overdue">There longer than usual.</param>
public sealed record Card(
    string ChangeId, string? Title, string? Author, string State, string? Stage, string? StageName, string? Team, string? Status,
    DateTimeOffset? Since, double? WaitedHours, double? UsualWaitHours, bool Overdue);

/// <summary>A production deployment's health on the board.</summary>
/// <param name="DeploymentId">The deployment event's id; with <paramref name="Source"/>, its identity.</param>
/// <param name="At">When it happened.</param>
/// <param name="ArtifactId">The artifact deployed.</param>
/// <param name="Changes">How many changes it delivered.</param>
/// <param name="IsRollback">A rollback.</param>
/// <param name="Health">The badge: <c>verifying</c>, <c>healthy</c>, <c>inconclusive</c>, <c>failed</c>, <c>incident-open</c>,
/// <c>rolling-back</c>, <c>rolled-back</c>, <c>fixed-forward</c> (<see cref="ReleaseBoardBuilder.Health"/>).</param>
/// <param name="Incidents">The incidents attributed to it.</param>
/// <param name="Source">The deployment event's source.</param>
/// <param name="Verdict">Its verdict's state (<c>Health/Verdict.cs</c>, <c>VerdictStates</c>); null for a rollback.</param>
/// <param name="Reason">Why, in a sentence.</param>
/// <param name="DuringFreeze">Deployed while the service was frozen (an earlier deployment failed and was neither rolled back nor fixed).</param>
public sealed record ReleaseHealth(
    string DeploymentId, DateTimeOffset At, string? ArtifactId, int Changes, bool IsRollback, string Health, IReadOnlyList<string> Incidents, string Source,
    string? Verdict = null, string? Reason = null, bool DuringFreeze = false);

/// <summary>A service frozen by a failed release: who was told, who acted, what is pending.</summary>
/// <param name="DeploymentId">The failed deployment; with <paramref name="Source"/>, its identity.</param>
/// <param name="Source">Its source.</param>
/// <param name="State"><c>failed</c> or <c>rolling back</c>.</param>
/// <param name="Since">Since when.</param>
/// <param name="Reason">Why it failed.</param>
/// <param name="Notified">The teams and people told.</param>
/// <param name="ActedBy">Who confirmed or called the rollback.</param>
/// <param name="Pending">What is awaited, and from whom.</param>
public sealed record Freeze(
    string DeploymentId, string Source, string State, DateTimeOffset Since, string Reason, IReadOnlyList<string> Notified, IReadOnlyList<string> ActedBy, string Pending);

/// <summary>A stage's queue on the board: how many cards, the one that has been there longest, and the teams holding them.</summary>
/// <param name="Stage">The stage id; empty for changes not on the flow.</param>
/// <param name="Cards">Cards at the stage.</param>
/// <param name="OldestChangeId">The card that has been at the stage longest, or null without cards.</param>
/// <param name="OldestHours">How long that card has been there.</param>
/// <param name="Holders">The teams holding the cards, most cards first.</param>
/// <param name="Flagged">Cards there longer than usual.</param>
public sealed record StageQueue(string Stage, int Cards, string? OldestChangeId, double? OldestHours, IReadOnlyList<string> Holders, int Flagged);

/// <summary>One service's column: its cards, its latest production deployments, and each stage's queue.</summary>
/// <param name="Service">The service.</param>
/// <param name="Owner">The team owning it in the model.</param>
/// <param name="InFlight">Its changes in flight, longest at their stage first.</param>
/// <param name="LatestProductionDeployments">Its latest production deployments, newest first.</param>
/// <param name="Queues">Per stage, its queue in this column.</param>
/// <param name="Frozen">Set while its latest failed production deployment is neither rolled back nor fixed forward.</param>
public sealed record ServiceColumn(
    string Service, string? Owner, IReadOnlyList<Card> InFlight, IReadOnlyList<ReleaseHealth> LatestProductionDeployments, IReadOnlyList<StageQueue> Queues,
    Freeze? Frozen = null);

/// <summary>The release board at one moment.</summary>
/// <param name="At">The board's time.</param>
/// <param name="Stages">The flow's stage ids.</param>
/// <param name="UsualWaitHours">Per stage, the usual age of its cards (<see cref="Metrics.UsualAge"/>): the 85th percentile of how long the cards at it had been there at this time of the week in the last four weeks; null without enough history.</param>
/// <param name="Services">One column per service.</param>
/// <param name="Queues">Per stage, its queue across the services shown.</param>
public sealed record ReleaseBoard(
    DateTimeOffset At, IReadOnlyList<string> Stages, IReadOnlyDictionary<string, double?> UsualWaitHours, IReadOnlyList<ServiceColumn> Services,
    IReadOnlyList<StageQueue> Queues);
