using Throughline.Board;
using Throughline.Timeline;
using Throughline.Web.Projection;

namespace Throughline.Web.BoardApi;

/// <summary>The release board over HTTP: the read model (<see cref="ReleaseBoardBuilder"/>) and a stream that says when it changed.</summary>
public static class BoardEndpoints
{
    public static void MapBoardEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/board", Get)
            .WithName("Board")
            .WithSummary("Every change in flight per service: its stage, the team holding it, how long it has been there against the stage's usual age (85th percentile at this time of the week, last four weeks), each stage's queue, and the health of the latest production deployments. team= keeps the cards the team holds, whatever their service; service= one service.")
            .Produces<ReleaseBoard>()
            .DerivedFromTimeline();
        app.MapGet("/api/board/events", StreamAsync)
            .WithName("BoardEvents")
            .WithSummary("Server-sent events: a 'changed' event each time the timeline changes, for live boards.")
            .Produces<string>(contentType: "text/event-stream")
            .DerivedFromTimeline();
    }

    private static ReleaseBoard Get(TimelineProjection projection, TimeProvider time, string? team, string? service) =>
        ReleaseBoardBuilder.Build(projection.Current, projection.Model, time.GetUtcNow(), team, service);

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
}
