using Microsoft.AspNetCore.Http.HttpResults;
using Throughline.Timeline;
using Throughline.Web.Pages;

namespace Throughline.Web.Projection;

/// <summary>What an endpoint derived from the timeline answers while the timeline loads: a problem, or a page for people.</summary>
internal enum WhileLoading
{
    /// <summary>503 with problem details (the API, <c>/metrics</c>, the board's event stream).</summary>
    Problem,

    /// <summary>503 with a page saying how far loading has gone, which refreshes itself.</summary>
    Page,
}

/// <summary>Metadata of an endpoint whose answer is derived from the timeline; read by the tests that check every such endpoint carries it.</summary>
internal sealed record DerivedFromTimelineMetadata(WhileLoading Answer);

/// <summary>Marks endpoints derived from the timeline, so they answer 503 with <c>Retry-After</c> until it holds everything stored.</summary>
internal static class DerivedEndpoints
{
    /// <summary>
    /// Until <see cref="TimelineReadiness"/> says the timeline has loaded, the endpoint answers 503 with <c>Retry-After</c> and
    /// how far loading has gone instead of running. Access is checked first: a caller without the right role still gets 401 or 403.
    /// </summary>
    public static TBuilder DerivedFromTimeline<TBuilder>(this TBuilder builder, WhileLoading answer = WhileLoading.Problem)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(new DerivedFromTimelineMetadata(answer));
        if (answer == WhileLoading.Problem)
        {
            builder.ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        }

        return builder.AddEndpointFilter(async (context, next) =>
        {
            // The projection the handler was given, so the check and the answer are about the same timeline.
            var loading = context.Arguments.OfType<TimelineProjection>().FirstOrDefault() is { } projection
                ? TimelineReadiness.LoadingOf(projection)
                : context.HttpContext.RequestServices.GetRequiredService<TimelineReadiness>().Loading();
            return loading is null ? await next(context)
                : answer == WhileLoading.Page ? Problems.RetryLater(LoadingPage(loading), TimelineReadiness.RetryAfter)
                : Problems.TimelineLoading(loading, TimelineReadiness.RetryAfter);
        });
    }

    private static RazorComponentResult<LoadingPage> LoadingPage(TimelineLoading loading) => new(new Dictionary<string, object?>
    {
        [nameof(Pages.LoadingPage.Progress)] = loading.Progress,
        [nameof(Pages.LoadingPage.RefreshSeconds)] = (int)TimelineReadiness.RetryAfter.TotalSeconds,
    })
    {
        StatusCode = StatusCodes.Status503ServiceUnavailable,
    };
}
