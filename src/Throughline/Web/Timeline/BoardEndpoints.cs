using Throughline.Metrics;
using Throughline.Timeline;

namespace Throughline.Web.Timeline;

/// <summary>The release board: every change in flight per service, and the health of the latest production deployments.</summary>
public static class BoardEndpoints
{
    private const int LatestDeploymentsShown = 5;
    private static readonly TimeSpan UsualWindow = TimeSpan.FromDays(30);

    public sealed record Card(
        string ChangeId, string? Title, string? Author, string State, string? Stage, string? StageName, string? Team, string? Status,
        DateTimeOffset? Since, double? WaitedHours, double? UsualWaitHours, bool Overdue);

    public sealed record ReleaseHealth(string DeploymentId, DateTimeOffset At, string? ArtifactId, int Changes, bool IsRollback, string Health, IReadOnlyList<string> Incidents);

    public sealed record ServiceColumn(string Service, string? Owner, IReadOnlyList<Card> InFlight, IReadOnlyList<ReleaseHealth> LatestProductionDeployments);

    public sealed record Board(DateTimeOffset At, IReadOnlyList<string> Stages, IReadOnlyDictionary<string, double?> UsualWaitHours, IReadOnlyList<ServiceColumn> Services);

    public static void MapBoardEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/board", Get)
            .WithName("Board")
            .WithSummary("Every change in flight per service: its stage, the team holding it, how long it has waited against the stage's usual wait, and the health of the latest production deployments. Filter by team or service.")
            .Produces<Board>();
        app.MapGet("/api/board/events", StreamAsync)
            .WithName("BoardEvents")
            .WithSummary("Server-sent events: a 'changed' event each time the timeline changes, for live boards.")
            .Produces<string>(contentType: "text/event-stream");
    }

    private static Board Get(TimelineProjection projection, TimeProvider time, string? team, string? service) => Build(projection, time, team, service);

    /// <summary>Tells a browser when to refresh: one event when the timeline changes, checked every half second; a comment every 15 s keeps proxies from closing the stream.</summary>
    private static async Task StreamAsync(HttpContext context, TimelineProjection projection, TimeProvider time)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var last = projection.UpdatedAt;
        var quietSince = time.GetUtcNow();
        await context.Response.WriteAsync("retry: 2000\n\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        try
        {
            while (!context.RequestAborted.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), time, context.RequestAborted);
                if (projection.UpdatedAt != last)
                {
                    last = projection.UpdatedAt;
                    quietSince = time.GetUtcNow();
                    await context.Response.WriteAsync($"event: changed\ndata: {last:O}\n\n", context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                }
                else if (time.GetUtcNow() - quietSince > TimeSpan.FromSeconds(15))
                {
                    quietSince = time.GetUtcNow();
                    await context.Response.WriteAsync(": still here\n\n", context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The browser went away.
        }
    }

    /// <summary>What the board shows of a snapshot, whatever the clock says; kept with the snapshot, per partition.</summary>
    /// <param name="Services">Every service seen.</param>
    /// <param name="InFlight">Open and merged changes, by the service they belong to.</param>
    /// <param name="Latest">The latest production deployments per service (oldest first), with whether an incident of theirs is open.</param>
    /// <param name="Waits">Per stage, each done interval's end and its time at the stage (waiting and working), sorted by end.</param>
    private sealed record BoardBase(
        IReadOnlyList<string> Services, IReadOnlyDictionary<string, List<ChangeTimeline>> InFlight,
        IReadOnlyDictionary<string, (Deployment Deployment, bool IncidentOpen)[]> Latest, IReadOnlyDictionary<string, (DateTimeOffset EndedAt, double Hours)[]> Waits);

    /// <summary>The board, optionally for one team's services or one service.</summary>
    public static Board Build(TimelineProjection projection, TimeProvider time, string? team = null, string? serviceFilter = null)
    {
        var now = time.GetUtcNow();
        var snapshot = projection.Current;
        var model = projection.Model;
        var parts = MetricsCache.PerPartition(snapshot, "board", BaseOf);
        var usual = MetricsCache.GetOrAdd(snapshot, $"usual-waits\n{now:yyyy-MM-ddTHH}", () => UsualWaits(parts, now));
        var verification = model?.Health.VerificationWindow;
        var services = (model?.Services.Select(s => s.Id) ?? [])
            .Concat(parts.SelectMany(p => p.Services).Order(StringComparer.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Where(s => (serviceFilter is null || s == serviceFilter) && (team is null || model?.FindService(s)?.Owner == team))
            .ToList();
        var columns = services.Select(service =>
        {
            var cards = parts.SelectMany(p => p.InFlight.GetValueOrDefault(service, []))
                .Select(c => ToCard(c, usual, now))
                .OrderByDescending(c => c.WaitedHours ?? 0)
                .ThenBy(c => c.ChangeId, StringComparer.Ordinal)
                .ToList();
            var releases = parts.SelectMany(p => p.Latest.GetValueOrDefault(service, []))
                .OrderByDescending(d => d.Deployment, Comparer<Deployment>.Create(TimelineSnapshot.Compare))
                .Take(LatestDeploymentsShown)
                .Select(d => new ReleaseHealth(
                    d.Deployment.Id, d.Deployment.At, d.Deployment.ArtifactId, d.Deployment.Delivered.Count, d.Deployment.IsRollback,
                    Health(d.Deployment, d.IncidentOpen, verification, now), d.Deployment.Incidents))
                .ToList();
            return new ServiceColumn(service, model?.FindService(service)?.Owner, cards, releases);
        }).ToList();
        return new Board(now, [.. (model?.Flow ?? []).Select(s => s.Id)], usual, columns);
    }

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
        var latest = snapshot.Deployments
            .Where(d => d.Production)
            .GroupBy(d => d.Service, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.TakeLast(LatestDeploymentsShown).Select(d => (d, d.Incidents.Any(openIncidents.Contains))).ToArray(), StringComparer.Ordinal);
        var waits = snapshot.Changes.Values
            .SelectMany(c => c.Stages)
            .Where(s => s.Status == StageStatus.Done && s.EndedAt is not null && s.WaitingHours is not null)
            .GroupBy(s => s.StageId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(s => (EndedAt: s.EndedAt!.Value, Hours: s.WaitingHours!.Value + (s.WorkingHours ?? 0))).OrderBy(w => w.EndedAt).ToArray(), StringComparer.Ordinal);
        return new BoardBase(
            [.. snapshot.Deployments.Select(d => d.Service).Concat(snapshot.Changes.Values.SelectMany(c => c.Services)).Distinct(StringComparer.Ordinal)],
            inFlight, latest, waits);
    }

    private static Card ToCard(ChangeTimeline change, IReadOnlyDictionary<string, double?> usual, DateTimeOffset now)
    {
        var position = ChangeEndpoints.PositionOf(change);
        double? waited = position?.Since is { } since ? Math.Round((now - since).TotalHours, 2) : null;
        var typical = position is null ? null : usual.GetValueOrDefault(position.Stage);
        return new Card(change.Id, change.Title, change.Author, ChangeEndpoints.StateName(change.State), position?.Stage, position?.Name, position?.Team,
            position?.Status, position?.Since, waited, typical, waited is not null && typical is not null && waited > typical);
    }

    /// <summary>Per stage, the median time changes spent at it (from the previous stage's end to its own), over stages that ended in the last 30 days.</summary>
    private static Dictionary<string, double?> UsualWaits(IReadOnlyList<BoardBase> parts, DateTimeOffset now)
    {
        var since = now - UsualWindow;
        return parts
            .SelectMany(p => p.Waits)
            .GroupBy(w => w.Key, StringComparer.Ordinal)
            .Select(g => (Stage: g.Key, Hours: g.SelectMany(w => TimeRange.Since(w.Value, x => x.EndedAt, since).ToArray().Select(x => x.Hours)).ToList()))
            .Where(w => w.Hours.Count > 0)
            .ToDictionary(w => w.Stage, w => (double?)Math.Round(Median(w.Hours), 2), StringComparer.Ordinal);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static string Health(Deployment deployment, bool incidentOpen, TimeSpan? verification, DateTimeOffset now) =>
        deployment.RolledBackAt is not null ? "rolled-back"
        : incidentOpen ? "incident-open"
        : deployment.Failed ? "failed"
        : verification is { } window && now - deployment.At < window ? "verifying"
        : "healthy";
}
