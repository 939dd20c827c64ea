using System.Globalization;
using Throughline.Web.Projection;

namespace Throughline.Web;

/// <summary>The 503 answers: the server is up but cannot answer this yet, and says when to ask again.</summary>
internal static partial class Problems
{
    /// <summary>The timeline is still reading the store: a figure derived from it now would be partial.</summary>
    public static IResult TimelineLoading(TimelineLoading loading, TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(loading);
        return RetryLater(TypedResults.Problem(
            title: "The timeline is loading; nothing derived from it is answered until it holds every stored event.",
            detail: $"{loading.Progress}. Ask again in {retryAfter.TotalSeconds:0} s.",
            statusCode: StatusCodes.Status503ServiceUnavailable,
            type: "urn:throughline:problem:timeline-loading",
            extensions: new Dictionary<string, object?>
            {
                ["eventsRead"] = loading.EventsRead,
                ["eventsStored"] = loading.EventsStored,
            }), retryAfter);
    }

    /// <summary>The database cannot be reached or cannot take writes now; nothing of the request was stored.</summary>
    /// <param name="reason">What failed, in words (the engine's message, which names no secret).</param>
    /// <param name="retryAfter">When to ask again.</param>
    public static IResult StorageUnavailable(string reason, TimeSpan retryAfter) => RetryLater(TypedResults.Problem(
        title: "The database is unavailable; nothing of this request was stored.",
        detail: $"{reason} Ask again in {retryAfter.TotalSeconds:0} s; /healthz says when the database takes writes again.",
        statusCode: StatusCodes.Status503ServiceUnavailable,
        type: "urn:throughline:problem:storage-unavailable"), retryAfter);

    /// <summary><paramref name="answer"/>, with a <c>Retry-After</c> header of <paramref name="after"/> (whole seconds, rounded up).</summary>
    public static IResult RetryLater(IResult answer, TimeSpan after) => new RetryLaterResult(answer, after);

    private sealed class RetryLaterResult(IResult answer, TimeSpan after) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => (answer as IStatusCodeHttpResult)?.StatusCode;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            httpContext.Response.Headers.RetryAfter = ((long)Math.Ceiling(after.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return answer.ExecuteAsync(httpContext);
        }
    }
}
