using Throughline.Model;

namespace Throughline.Health;

/// <summary>A team asked to act on a release, with its people and how to reach them.</summary>
/// <param name="Role">Why it is asked, as the model writes it (<c>responsibilities.rollback</c>).</param>
/// <param name="Team">The team's id.</param>
/// <param name="TeamName">The team's display name (its id when the model gives none).</param>
/// <param name="Contact">The team's contact (a chat channel), when the model gives one.</param>
/// <param name="People">The team's people, each with their tool identities as contacts.</param>
public sealed record Holder(string Role, string Team, string TeamName, string? Contact, IReadOnlyList<HolderPerson> People);

/// <summary>A person asked to act.</summary>
/// <param name="Id">The person's id in the model.</param>
/// <param name="Contacts">Their identities as the model writes them (<c>sso:ines@example.com</c>, <c>github:ines</c>).</param>
public sealed record HolderPerson(string Id, IReadOnlyList<string> Contacts);

/// <summary>Who is told about a failed release, who may confirm its rollback, and whether a person may: the one owner of those rules.</summary>
public static class RollbackHolders
{
    /// <summary>The default rollback owner: whoever holds the service's <c>rollback</c> responsibility.</summary>
    public static readonly StageOwner DefaultOwner = new(StageOwnerKind.Responsibility, "rollback");

    private static readonly StageOwner[] DefaultNotified = [DefaultOwner, new(StageOwnerKind.Responsibility, "incident-response")];

    /// <summary>Who is told when a deployment of <paramref name="service"/> fails: <c>health.rollback.notify.roles</c>, by default the
    /// holders of <c>rollback</c> and <c>incident-response</c>; one entry per team, in the roles' order.</summary>
    public static IReadOnlyList<Holder> Notified(OperatingModel model, string service)
    {
        ArgumentNullException.ThrowIfNull(model);
        var roles = model.Health.Rollback?.Notify?.Roles is { Count: > 0 } given ? given : DefaultNotified;
        return [.. roles
            .Select(role => (Role: role, Team: model.ResolveOwner(role, service)))
            .Where(r => r.Team is not null)
            .DistinctBy(r => r.Team, StringComparer.Ordinal)
            .Select(r => HolderOf(model, r.Role.ToString(), r.Team!))];
    }

    /// <summary>The team that decides on a rollback of <paramref name="service"/> (<c>health.rollback.owner</c>, by default the holder of
    /// <c>rollback</c>); null when the model names none.</summary>
    public static Holder? Owner(OperatingModel model, string service)
    {
        ArgumentNullException.ThrowIfNull(model);
        var owner = model.Health.Rollback?.Owner ?? DefaultOwner;
        return model.ResolveOwner(owner, service) is { } team ? HolderOf(model, owner.ToString(), team) : null;
    }

    /// <summary>Whether the person <paramref name="personId"/> may confirm a rollback of <paramref name="service"/>: they belong to the
    /// team that holds its rollback.</summary>
    public static bool MayConfirm(OperatingModel model, string service, string? personId)
    {
        ArgumentNullException.ThrowIfNull(model);
        return personId is not null && Owner(model, service) is { } holder && holder.People.Any(p => p.Id == personId);
    }

    /// <summary>What a verdict waits for, and from whom; null when it waits for nothing.</summary>
    public static string? Pending(Verdict verdict, OperatingModel? model)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        var requested = verdict.Actions.Any(a => a.Kind == HealthEvents.RollbackRequested);
        var called = verdict.Actions.LastOrDefault(a => a.Kind == HealthEvents.RollbackCalled);
        return verdict.State switch
        {
            VerdictStates.RollingBack when called is { Outcome: "failure" } => $"the rollback action failed ({called.Detail}); roll back by hand, then the tool's event closes it",
            VerdictStates.RollingBack => called is null ? "calling the rollback action" : "waiting for the deployment tool to report the rollback (its service.rolledback event, or the earlier artifact deployed)",
            VerdictStates.Failed when requested => "calling the rollback action",
            VerdictStates.Failed when model?.Health.Rollback is null => "no rollback policy in the model (health.rollback): roll back or fix by hand",
            VerdictStates.Failed when model.Health.Rollback.Automatic => "rolling back automatically",
            VerdictStates.Failed => $"waiting for someone holding the rollback ({Owner(model, verdict.Deployment.Service)?.TeamName ?? "no team named in the model"}) to confirm it, or a fix",
            VerdictStates.Verifying => $"verifying until {verdict.WindowEnd:yyyy-MM-dd HH:mm} UTC",
            _ => null,
        };
    }

    /// <summary>A team as a holder of <paramref name="role"/>: its name, contact and people with their identities.</summary>
    public static Holder HolderOf(OperatingModel model, string role, string teamId)
    {
        ArgumentNullException.ThrowIfNull(model);
        var team = model.Teams.FirstOrDefault(t => t.Id == teamId);
        var people = model.People.Where(p => p.Team == teamId)
            .Select(p => new HolderPerson(p.Id, [.. p.Identities.Select(i => $"{i.Tool}:{i.Login}")]))
            .ToList();
        return new Holder(role, teamId, team?.Name ?? teamId, team?.Contact, people);
    }
}
