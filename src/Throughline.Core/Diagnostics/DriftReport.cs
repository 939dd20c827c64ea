namespace Throughline.Diagnostics;

/// <summary>Where what happened in a window departs from the operating model, each finding with its evidence.</summary>
/// <param name="Skipped">Per stage and service, the delivered changes that never had the stage; only those with at least one.</param>
/// <param name="NeverObserved">Declared stages no change passed in the window (ids, in the flow's order).</param>
/// <param name="OtherTeamWork">Stages whose work was done by a person of a team other than the stage's owner.</param>
/// <param name="OutsideApprovals">Approval stages done by a person outside the approving responsibility (also in <see cref="OtherTeamWork"/>).</param>
/// <param name="UnknownActors">Stage actors no person's identity names: logins with how many stages they did (drift the report cannot attribute).</param>
/// <param name="UndeclaredSources">Sources of events in the window that no declared tool matches.</param>
public sealed record DriftReport(
    IReadOnlyList<SkippedStage> Skipped, IReadOnlyList<string> NeverObserved, IReadOnlyList<OtherTeamWork> OtherTeamWork,
    IReadOnlyList<OtherTeamWork> OutsideApprovals, IReadOnlyList<UnknownActor> UnknownActors, IReadOnlyList<UndeclaredSource> UndeclaredSources);

/// <summary>A stage that delivered changes of one service went around.</summary>
/// <param name="Stage">The stage id.</param>
/// <param name="Service">The changes' service.</param>
/// <param name="Delivered">Changes of the service first delivered to production in the window.</param>
/// <param name="Changes">Those that never had the stage (its end event never seen), by id.</param>
public sealed record SkippedStage(string Stage, string Service, int Delivered, IReadOnlyList<string> Changes)
{
    /// <summary><see cref="Changes"/> ÷ <see cref="Delivered"/>.</summary>
    public double Share => (double)Changes.Count / Delivered;
}

/// <summary>One stage of one change done by a person whose team is not the stage's owner.</summary>
/// <param name="Change">The change id.</param>
/// <param name="Stage">The stage id.</param>
/// <param name="Service">The change's service; null when it has none.</param>
/// <param name="Actor">The login the tool named.</param>
/// <param name="Person">The model's person with that identity.</param>
/// <param name="ActorTeam">The person's team.</param>
/// <param name="OwnerTeam">The stage's owner resolved for the service.</param>
/// <param name="Event">The sequence number of the event that named the actor.</param>
public sealed record OtherTeamWork(string Change, string Stage, string? Service, string Actor, string Person, string ActorTeam, string OwnerTeam, long? Event);

/// <summary>A login that did stages but that no person's identity names.</summary>
/// <param name="Actor">The login.</param>
/// <param name="Stages">How many stage intervals in the window it did.</param>
/// <param name="Changes">Up to 20 of the changes, by id.</param>
public sealed record UnknownActor(string Actor, int Stages, IReadOnlyList<string> Changes);

/// <summary>A source whose events no declared tool matches.</summary>
/// <param name="Source">The events' <c>context.source</c>.</param>
/// <param name="Events">How many of its events have a time in the window.</param>
/// <param name="LastEventAt">The latest of their times.</param>
/// <param name="Examples">Up to 20 of their sequence numbers, latest first.</param>
public sealed record UndeclaredSource(string Source, int Events, DateTimeOffset LastEventAt, IReadOnlyList<long> Examples);
