using Throughline.Board;
using Throughline.Timeline;
using Throughline.Web.Projection;

namespace Throughline.Web.ChangesApi;

internal static class ChangeEndpoints
{
    public const int DefaultLimit = 100;

    public sealed record EventLink(long Sequence, string Type, string Source, string Id, DateTimeOffset Time);

    public sealed record ChangeDetail(
        string Id, string? Repository, string? Title, string? Author, IReadOnlyList<string> Services, string State,
        DateTimeOffset? FirstCommitAt, DateTimeOffset? CreatedAt, DateTimeOffset? FirstReviewAt, int Reviews, DateTimeOffset? MergedAt,
        DateTimeOffset? AbandonedAt, string? MergeSha, IReadOnlyList<string> Artifacts, DateTimeOffset? FirstProductionDeliveryAt,
        bool PredatesHistory, double? LeadTimeHours, string? StartBasis, Position? Position, IReadOnlyList<StageInterval> Stages,
        IReadOnlyDictionary<string, IReadOnlyList<ChangeDelivery>> Deployments, IReadOnlyList<EventLink> Events);

    public sealed record ChangeSummary(
        string Id, string? Repository, string? Title, string? Author, IReadOnlyList<string> Services, string State,
        DateTimeOffset? CreatedAt, DateTimeOffset? MergedAt, DateTimeOffset? FirstProductionDeliveryAt, double? LeadTimeHours, Position? Position);

    public sealed record ChangeList(int Total, IReadOnlyList<ChangeSummary> Items);

    public sealed record TimelineStatus(
        long EventsRead, long Watermark, int Changes, int Deployments, int Incidents, DateTimeOffset? UpdatedAt, string Digest, UnreadableReport Unreadable);

    public static void MapChangeEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/changes", List)
            .WithName("ListChanges")
            .WithSummary("Changes, newest first, filtered by service, owning team and state (open, in-flight, delivered, abandoned).")
            .Produces<ChangeList>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .DerivedFromTimeline();
        app.MapGet("/api/changes/{**id}", Find)
            .WithName("GetChange")
            .WithSummary("One change's timeline: its events, stages with waiting and working time and owners, its deployments per environment, and where it is now.")
            .Produces<ChangeDetail>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .DerivedFromTimeline();
        app.MapGet("/api/timeline", Status)
            .WithName("TimelineStatus")
            .WithSummary("How far the timeline has read the store, its size, the digest that `throughline rebuild` reproduces, and the stored rows it skipped as unreadable.")
            .Produces<TimelineStatus>()
            .DerivedFromTimeline();
    }

    private static async Task<IResult> Find(TimelineProjection projection, string id, CancellationToken cancellationToken)
    {
        var changeId = Uri.UnescapeDataString(id);
        if (!projection.Current.Changes.TryGetValue(changeId, out var change))
        {
            return Problems.NotFound("change", changeId);
        }

        var deployments = change.Deliveries
            .GroupBy(d => d.Environment)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<ChangeDelivery>)g.OrderBy(d => d.At).ToList());
        return TypedResults.Ok(new ChangeDetail(
            change.Id, change.Repository, change.Title, change.Author, change.Services, ReleaseBoardBuilder.StateName(change.State), change.FirstCommitAt, change.CreatedAt,
            change.FirstReviewAt, change.Reviews, change.MergedAt, change.AbandonedAt, change.MergeSha, change.Artifacts, change.FirstProductionDeliveryAt,
            change.PredatesHistory, change.LeadTimeHours, BasisName(change.StartBasis), ReleaseBoardBuilder.PositionOf(change), change.Stages, deployments,
            [.. (await projection.EventsOfAsync(change, cancellationToken)).Select(e => new EventLink(e.Sequence, e.Kind, e.Source, e.Id, e.Time))]));
    }

    /// <summary>What a change's lead time starts from, as docs/metrics.md names it; null when it has no start.</summary>
    private static string? BasisName(StartBasis basis) => basis switch
    {
        StartBasis.Commit => "commit",
        StartBasis.Push => "push",
        StartBasis.Created => "created",
        StartBasis.Merged => "merged",
        _ => null,
    };

    private static IResult List(TimelineProjection projection, string? service, string? team, string? state, string? limit)
    {
        if (ListLimit.Read(limit, DefaultLimit) is not { } count)
        {
            return Problems.BadQuery("limit", ListLimit.Problem(limit));
        }

        if (state is not null && state is not ("open" or "in-flight" or "delivered" or "abandoned"))
        {
            return Problems.BadQuery("state", $"'{state}' is not one of open, in-flight, delivered, abandoned");
        }

        var owned = team is null ? null : Owned(projection, team);
        var matching = projection.Current.Changes.Values
            .Where(c => service is null || c.Services.Contains(service) || c.Deliveries.Any(d => d.Service == service))
            .Where(c => owned is null || c.Services.Any(owned.Contains))
            .Where(c => state is null || ReleaseBoardBuilder.StateName(c.State) == state || (state == "in-flight" && c.State is ChangeState.Open or ChangeState.Merged))
            .OrderByDescending(c => c.CreatedAt ?? c.MergedAt)
            .ThenBy(c => c.Id, StringComparer.Ordinal)
            .ToList();
        return TypedResults.Ok(new ChangeList(matching.Count, [.. matching.Take(count).Select(c => new ChangeSummary(
            c.Id, c.Repository, c.Title, c.Author, c.Services, ReleaseBoardBuilder.StateName(c.State), c.CreatedAt, c.MergedAt, c.FirstProductionDeliveryAt, c.LeadTimeHours, ReleaseBoardBuilder.PositionOf(c)))]));
    }

    private static TimelineStatus Status(TimelineProjection projection)
    {
        var snapshot = projection.Current;
        return new TimelineStatus(projection.EventsRead, projection.Watermark, snapshot.Changes.Count, snapshot.Deployments.Count, snapshot.Incidents.Count,
            projection.UpdatedAt, DigestCache.For(snapshot), projection.Unreadable);
    }

    /// <summary>The digest of the latest snapshot, computed once per snapshot: it reads the whole timeline.</summary>
    private static class DigestCache
    {
        private static (TimelineSnapshot Snapshot, string Digest)? _last;

        public static string For(TimelineSnapshot snapshot)
        {
            var last = _last;
            if (last is { } known && ReferenceEquals(known.Snapshot, snapshot))
            {
                return known.Digest;
            }

            var digest = TimelineDigest.Compute(snapshot);
            _last = (snapshot, digest);
            return digest;
        }
    }

    private static HashSet<string> Owned(TimelineProjection projection, string team) =>
        [.. (projection.Model?.Services ?? []).Where(s => s.Owner == team).Select(s => s.Id)];
}
