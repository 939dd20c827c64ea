using Microsoft.AspNetCore.Http.HttpResults;
using Throughline.Storage;
using Throughline.Web.ModelReload;
using Throughline.Web.Projection;

namespace Throughline.Web.Probes;

internal static class HealthEndpoints
{
    /// <summary>The answer of <c>/healthz</c>.</summary>
    /// <param name="Status"><c>ok</c>, <c>loading</c> (the timeline is reading the store) or <c>unavailable</c> (the database cannot take writes).</param>
    /// <param name="Storage">The database engine.</param>
    /// <param name="Problem">Why the server is not ready, if it is not.</param>
    /// <param name="ModelRefused">A newer operating model that was refused (the running one stays), if none was accepted since.</param>
    /// <param name="Timeline">While the timeline loads, how far it has gone.</param>
    public sealed record HealthResponse(string Status, string Storage, string? Problem = null, RefusedModel? ModelRefused = null, TimelineLoading? Timeline = null);

    /// <summary>When a newer model was refused, where it came from, and its errors, one located line each.</summary>
    public sealed record RefusedModel(DateTimeOffset At, string Origin, IReadOnlyList<string> Errors);

    /// <summary>The answer of <c>/healthz/live</c>: the process answers, whatever its database and timeline are doing.</summary>
    public sealed record LivenessResponse(string Status);

    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", CheckAsync)
            .AllowAnonymous()
            .WithName("Health")
            .WithSummary("Readiness: 200 when the database takes writes and the timeline holds every stored event; 503 while the timeline loads, or when the database does not answer, is read-only or its disk is full. Says when a newer operating model was refused.")
            .Produces<HealthResponse>()
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable);
        app.MapGet("/healthz/live", Live)
            .AllowAnonymous()
            .WithName("Liveness")
            .WithSummary("Liveness: 200 whenever the process answers, also while the timeline loads or the database is away (restarting would not help then).")
            .Produces<LivenessResponse>();
    }

    private static Ok<LivenessResponse> Live() => TypedResults.Ok(new LivenessResponse("alive"));

    private static async Task<IResult> CheckAsync(IEventStore store, ModelInForce models, TimelineReadiness readiness, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var refused = models.Refused is { } refusal ? new RefusedModel(refusal.At, refusal.Origin, refusal.Errors) : null;
        try
        {
            await store.CheckWritableAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            var problem = TransientFailures.StorageProblem(exception) ?? "The database does not answer.";
            loggers.CreateLogger("Throughline.Health").LogWarning("Health check failed: {Problem} ({Error})", problem, exception.Message);
            return NotReady(new HealthResponse("unavailable", store.Provider, problem, refused), StorageFailureAnswers.RetryAfter);
        }

        return readiness.Loading() is { } loading
            ? NotReady(new HealthResponse("loading", store.Provider, $"The timeline is loading: {loading.Progress}.", refused, loading), TimelineReadiness.RetryAfter)
            : TypedResults.Ok(new HealthResponse("ok", store.Provider, ModelRefused: refused));
    }

    private static IResult NotReady(HealthResponse response, TimeSpan retryAfter) =>
        Problems.RetryLater(TypedResults.Json(response, statusCode: StatusCodes.Status503ServiceUnavailable), retryAfter);
}
