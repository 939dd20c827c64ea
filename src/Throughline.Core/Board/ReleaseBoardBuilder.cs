using Throughline.Health;
using Throughline.Metrics;
using Throughline.Model;
using Throughline.Timeline;

namespace Throughline.Board;

/// <summary>
/// The release board's read model: every change in flight per service at the stage it is at, how long it has been there
/// against the stage's usual age, each stage's queue, and the health of the latest production deployments.
/// </summary>
/// <remarks>
/// What does not depend on the clock is derived once per timeline partition and kept with it; the usual ages once per
/// snapshot and hour. <c>team</c> keeps the cards the team holds (the owner of their current stage, resolved for their
/// service), whatever service they belong to, and the columns of the services it owns.
/// </remarks>
public static class ReleaseBoardBuilder
{
    private const int LatestDeploymentsShown = 5;

    /// <summary>Stays that ended longer ago than this cannot have been at their stage at any moment <see cref="UsualAge"/> looks at.</summary>
    private static readonly TimeSpan UsualWindow = TimeSpan.FromDays(7 * UsualAge.Weeks);

    /// <summary>Where a change is now, or null when it is delivered or abandoned.</summary>
    public static Position? PositionOf(ChangeTimeline change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return change.CurrentStage is { } stage
            ? new Position(stage.StageId, stage.Name, stage.Team, stage.Status == StageStatus.InProgress ? "in-progress" : "waiting", stage.ReadyAt, stage.StartedAt)
            : null;
    }

    /// <summary>A change's state as the API and pages write it.</summary>
    public static string StateName(ChangeState state) => state switch
    {
        ChangeState.Open => "open",
        ChangeState.Merged => "merged",
        ChangeState.Delivered => "delivered",
        _ => "abandoned",
    };

    /// <summary>What the board shows of a snapshot, whatever the clock says; kept with the snapshot, per partition.</summary>
    /// <param name="Services">Every service seen.</param>
    /// <param name="InFlight">Open and merged changes, by the service they belong to.</param>
    /// <param name="Latest">The latest production deployments per service (oldest first), with whether an incident of theirs is open.</param>
    /// <param name="Stays">Per stage, each done interval's end and entry, sorted by end.</param>
    private sealed record BoardBase(
        IReadOnlyList<string> Services, IReadOnlyDictionary<string, List<ChangeTimeline>> InFlight,
        IReadOnlyDictionary<string, (Deployment Deployment, bool IncidentOpen, IReadOnlyList<IncidentRecord> Attributed)[]> Latest, IReadOnlyDictionary<string, (DateTimeOffset EndedAt, DateTimeOffset Entered)[]> Stays);

    /// <summary>The board's base, kept with each partition's snapshot.</summary>
    private sealed record BaseKey : DerivedKey<BoardBase>;

    /// <summary>The usual ages in one hour (counted in hours since 0001-01-01 UTC), kept with the snapshot.</summary>
    private sealed record UsualAgesKey(long Hour) : DerivedKey<Dictionary<string, double?>>;

    /// <summary>The board: every card, or those a team holds (whatever their service), or one service's.</summary>
    public static ReleaseBoard Build(TimelineSnapshot snapshot, OperatingModel? model, DateTimeOffset now, string? team = null, string? serviceFilter = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var parts = snapshot.Derived.PerPartition(new BaseKey(), BaseOf);
        var usual = snapshot.Derived.GetOrAdd(new UsualAgesKey(now.UtcTicks / TimeSpan.TicksPerHour), () => UsualAges(parts, now));
        var stages = (model?.Flow ?? []).Select(s => s.Id).ToList();
        var columns = (model?.Services.Select(s => s.Id) ?? [])
            .Concat(parts.SelectMany(p => p.Services).Order(StringComparer.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Where(s => serviceFilter is null || s == serviceFilter)
            .Select(service => (Service: service, Cards: parts.SelectMany(p => p.InFlight.GetValueOrDefault(service, []))
                .Select(c => ToCard(c, usual, now))
                .Where(c => team is null || c.Team == team)
                .OrderByDescending(c => c.WaitedHours ?? 0)
                .ThenBy(c => c.ChangeId, StringComparer.Ordinal)
                .ToList()))
            .Where(c => team is null || c.Cards.Count > 0 || model?.FindService(c.Service)?.Owner == team)
            .Select(column =>
        {
            var (service, cards) = column;
            var latest = parts.SelectMany(p => p.Latest.GetValueOrDefault(service, []))
                .OrderBy(d => d.Deployment, Comparer<Deployment>.Create(TimelineSnapshot.Compare))
                .Select(d => (d.Deployment, d.IncidentOpen, Verdict: ReleaseVerdicts.Of(d.Deployment, d.Attributed, model, now)))
                .ToList();
            var releases = new List<ReleaseHealth>();
            Verdict? failedBefore = null; // the last forward deployment, when it had failed: the service was frozen from then on
            foreach (var (deployment, incidentOpen, verdict) in latest)
            {
                var duringFreeze = !deployment.IsRollback && failedBefore?.FailedAt is { } failedAt && failedAt < deployment.At;
                releases.Add(new ReleaseHealth(
                    deployment.Id, deployment.At, deployment.ArtifactId, deployment.Delivered.Count, deployment.IsRollback,
                    Health(deployment, incidentOpen, verdict), deployment.Incidents, deployment.Source, verdict?.State, verdict?.Reason, duringFreeze));
                failedBefore = deployment.IsRollback ? null : verdict?.FailedAt is not null ? verdict : null;
            }

            var frozenBy = latest.LastOrDefault(d => !d.Deployment.IsRollback).Verdict is { Frozen: true } last ? last : null;
            releases.Reverse();
            return new ServiceColumn(service, model?.FindService(service)?.Owner, cards, [.. releases.Take(LatestDeploymentsShown)], Queues(cards, stages),
                frozenBy is null ? null : FreezeOf(frozenBy, model));
        }).ToList();
        return new ReleaseBoard(now, stages, usual, columns, Queues([.. columns.SelectMany(c => c.InFlight)], stages));
    }

    /// <summary>Per stage (and a first, empty stage for cards not on the flow, when there are any): the queue of <paramref name="cards"/>.</summary>
    private static List<StageQueue> Queues(IReadOnlyList<Card> cards, IReadOnlyList<string> stages) =>
        [.. (cards.Any(c => c.Stage is null) ? stages.Prepend("") : stages).Select(stage =>
        {
            var at = cards.Where(c => (c.Stage ?? "") == stage).ToList();
            var oldest = at.MaxBy(c => c.WaitedHours ?? -1);
            var holders = at.GroupBy(c => c.Team ?? "no team", StringComparer.Ordinal)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).ToList();
            return new StageQueue(stage, at.Count, oldest?.ChangeId, oldest?.WaitedHours, holders, at.Count(c => c.Overdue));
        })];

    private static BoardBase BaseOf(TimelineSnapshot snapshot)
    {
        var inFlight = new Dictionary<string, List<ChangeTimeline>>(StringComparer.Ordinal);
        foreach (var change in snapshot.Changes.Values.Where(c => c.State is ChangeState.Open or ChangeState.Merged))
        {
            foreach (var service in change.Services.Count > 0 ? [change.Services[0]] : change.Deliveries.Select(d => d.Service).Distinct())
            {
                if (!inFlight.TryGetValue(service, out var cards))
                {
                    inFlight[service] = cards = [];
                }

                cards.Add(change);
            }
        }

        var openIncidents = snapshot.Incidents.Where(i => i.ResolvedAt is null).Select(i => i.Id).ToHashSet(StringComparer.Ordinal);
        var attributed = snapshot.Incidents.Where(i => i.DeploymentKey is not null).ToLookup(i => i.DeploymentKey!.Value);
        // One more than shown: a freeze may have begun just before the deployments shown.
        var latest = snapshot.Deployments
            .Where(d => d.Production)
            .GroupBy(d => d.Service, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => g.TakeLast(LatestDeploymentsShown + 1).Select(d => (d, d.Incidents.Any(openIncidents.Contains), (IReadOnlyList<IncidentRecord>)[.. attributed[d.Key]])).ToArray(),
                StringComparer.Ordinal);
        var stays = snapshot.Changes.Values
            .SelectMany(c => c.Stages)
            .Where(s => s.Status == StageStatus.Done && s.EndedAt is not null && s.ReadyAt is not null && s.ReadyAt <= s.EndedAt)
            .GroupBy(s => s.StageId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(s => (EndedAt: s.EndedAt!.Value, Entered: s.ReadyAt!.Value)).OrderBy(w => w.EndedAt).ToArray(), StringComparer.Ordinal);
        return new BoardBase(
            [.. snapshot.Deployments.Select(d => d.Service).Concat(snapshot.Changes.Values.SelectMany(c => c.Services)).Distinct(StringComparer.Ordinal)],
            inFlight, latest, stays);
    }

    private static Card ToCard(ChangeTimeline change, IReadOnlyDictionary<string, double?> usual, DateTimeOffset now)
    {
        var position = PositionOf(change);
        double? waited = position?.Since is { } since ? Math.Round((now - since).TotalHours, 2) : null;
        var typical = position is null ? null : usual.GetValueOrDefault(position.Stage);
        return new Card(change.Id, change.Title, change.Author, StateName(change.State), position?.Stage, position?.Name, position?.Team,
            position?.Status, position?.Since, waited, typical, waited is not null && typical is not null && waited > typical);
    }

    /// <summary>Per stage, the usual age of its cards at this time of the week (<see cref="UsualAge"/>), from the stays that ended in the weeks looked at and the cards still there.</summary>
    private static Dictionary<string, double?> UsualAges(IReadOnlyList<BoardBase> parts, DateTimeOffset now)
    {
        var since = now - UsualWindow;
        var current = parts.SelectMany(p => p.InFlight.Values.SelectMany(cards => cards))
            .Select(c => c.CurrentStage)
            .OfType<StageInterval>()
            .Where(s => s.ReadyAt is not null)
            .ToLookup(s => s.StageId, s => (Entered: s.ReadyAt!.Value, Left: (DateTimeOffset?)null), StringComparer.Ordinal);
        return parts
            .SelectMany(p => p.Stays)
            .GroupBy(w => w.Key, StringComparer.Ordinal)
            .Select(g => g.Key)
            .Concat(current.Select(c => c.Key))
            .Distinct(StringComparer.Ordinal)
            .ToDictionary(
                stage => stage,
                stage => UsualAge.Of(
                    parts.SelectMany(p => TimeRange.Since(p.Stays.GetValueOrDefault(stage, []), x => x.EndedAt, since).ToArray())
                        .Select(x => (x.Entered, Left: (DateTimeOffset?)x.EndedAt))
                        .Concat(current[stage]),
                    now) is { } hours ? Math.Round(hours, 2) : (double?)null,
                StringComparer.Ordinal);
    }

    /// <summary>
    /// A production deployment's badge: its verdict (<see cref="ReleaseVerdicts"/>) as one word, with <c>incident-open</c> while an
    /// attributed incident is open and it is not rolled back; a rollback's own badge is <c>healthy</c>.
    /// </summary>
    public static string Health(Deployment deployment, bool incidentOpen, Verdict? verdict)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return verdict?.State switch
        {
            VerdictStates.RolledBack => "rolled-back",
            _ when incidentOpen => "incident-open",
            VerdictStates.Failed => "failed",
            VerdictStates.RollingBack => "rolling-back",
            VerdictStates.FixedForward => "fixed-forward",
            VerdictStates.Verifying => "verifying",
            VerdictStates.Inconclusive => "inconclusive",
            _ => "healthy",
        };
    }

    /// <summary>What the board says of a frozen service: who was told, who acted, what is pending.</summary>
    private static Freeze FreezeOf(Verdict verdict, OperatingModel? model)
    {
        var notified = verdict.Actions.Where(a => a.Kind == HealthEvents.Notified).Select(a => a.Detail).Distinct(StringComparer.Ordinal).ToList();
        var acted = verdict.Actions.Where(a => a.Kind == HealthEvents.RollbackRequested && a.Actor is not null)
            .Select(a => a.Actor!).Distinct(StringComparer.Ordinal).ToList();
        var pending = RollbackHolders.Pending(verdict, model) ?? "";
        return new Freeze(verdict.Deployment.Id, verdict.Deployment.Source, verdict.State, verdict.Since, verdict.Steps.First(s => s.State == VerdictStates.Failed).Reason,
            notified, acted, pending);
    }
}
