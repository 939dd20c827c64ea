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

    /// <summary>The board, optionally for one team's services or one service.</summary>
    public static Board Build(TimelineProjection projection, TimeProvider time, string? team = null, string? serviceFilter = null)
    {
        var now = time.GetUtcNow();
        var snapshot = projection.Current;
        var model = projection.Model;
        // Usual waits read every stage of every change: kept with the snapshot, per hour of the clock.
        var usual = Throughline.Metrics.MetricsCache.GetOrAdd(snapshot, $"usual-waits\n{now:yyyy-MM-ddTHH}", () => UsualWaits(snapshot, now));
        var inFlight = snapshot.Changes.Values
            .Where(c => c.State is ChangeState.Open or ChangeState.Merged)
            .SelectMany(c => (c.Services.Count > 0 ? [c.Services[0]] : c.Deliveries.Select(d => d.Service).Distinct()).Select(service => (Service: service, Change: c)))
            .ToLookup(x => x.Service, x => x.Change, StringComparer.Ordinal);
        var verification = model?.Health.VerificationWindow;
        var services = (model?.Services.Select(s => s.Id) ?? [])
            .Concat(snapshot.Deployments.Select(d => d.Service))
            .Concat(snapshot.Changes.Values.SelectMany(c => c.Services))
            .Distinct(StringComparer.Ordinal)
            .Where(s => (serviceFilter is null || s == serviceFilter) && (team is null || model?.FindService(s)?.Owner == team))
            .ToList();
        var incidents = snapshot.Incidents.ToDictionary(i => i.Id, StringComparer.Ordinal);
        var columns = services.Select(service =>
        {
            var cards = inFlight[service]
                .Select(c => ToCard(c, usual, now))
                .OrderByDescending(c => c.WaitedHours ?? 0)
                .ThenBy(c => c.ChangeId, StringComparer.Ordinal)
                .ToList();
            var releases = snapshot.Deployments
                .Where(d => d.Production && d.Service == service)
                .TakeLast(LatestDeploymentsShown)
                .Reverse()
                .Select(d => new ReleaseHealth(d.Id, d.At, d.ArtifactId, d.Delivered.Count, d.IsRollback, Health(d, incidents, verification, now), d.Incidents))
                .ToList();
            return new ServiceColumn(service, model?.FindService(service)?.Owner, cards, releases);
        }).ToList();
        return new Board(now, [.. (model?.Flow ?? []).Select(s => s.Id)], usual, columns);
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
    private static Dictionary<string, double?> UsualWaits(TimelineSnapshot snapshot, DateTimeOffset now)
    {
        var since = now - UsualWindow;
        return snapshot.Changes.Values
            .SelectMany(c => c.Stages)
            .Where(s => s.Status == StageStatus.Done && s.EndedAt >= since && s.WaitingHours is not null)
            .GroupBy(s => s.StageId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (double?)Math.Round(Median(g.Select(s => s.WaitingHours!.Value + (s.WorkingHours ?? 0))), 2), StringComparer.Ordinal);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static string Health(Deployment deployment, Dictionary<string, IncidentRecord> incidents, TimeSpan? verification, DateTimeOffset now) =>
        deployment.RolledBackAt is not null ? "rolled-back"
        : deployment.Incidents.Any(id => incidents.TryGetValue(id, out var incident) && incident.ResolvedAt is null) ? "incident-open"
        : deployment.Failed ? "failed"
        : verification is { } window && now - deployment.At < window ? "verifying"
        : "healthy";
}
