using Throughline.Storage;
using Throughline.Web.ModelReload;

namespace Throughline.Web.Probes;

internal static class HealthEndpoints
{
    /// <summary>The answer of <c>/healthz</c>.</summary>
    /// <param name="Status"><c>ok</c> or <c>unavailable</c>.</param>
    /// <param name="Storage">The database engine.</param>
    /// <param name="Problem">Why the server is unavailable, if it is.</param>
    /// <param name="ModelRefused">A newer operating model that was refused (the running one stays), if none was accepted since.</param>
    public sealed record HealthResponse(string Status, string Storage, string? Problem = null, RefusedModel? ModelRefused = null);

    /// <summary>When a newer model was refused, where it came from, and its errors, one located line each.</summary>
    public sealed record RefusedModel(DateTimeOffset At, string Origin, IReadOnlyList<string> Errors);

    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", CheckAsync)
            .AllowAnonymous()
            .WithName("Health")
            .WithSummary("Answers 200 when the server and its database answer, 503 otherwise; says when a newer operating model was refused.")
            .Produces<HealthResponse>()
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> CheckAsync(IEventStore store, ModelInForce models, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var refused = models.Refused is { } refusal ? new RefusedModel(refusal.At, refusal.Origin, refusal.Errors) : null;
        try
        {
            await store.PingAsync(cancellationToken);
            return TypedResults.Ok(new HealthResponse("ok", store.Provider, ModelRefused: refused));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            loggers.CreateLogger("Throughline.Health").LogWarning(exception, "Health check failed: the database does not answer");
            return TypedResults.Json(
                new HealthResponse("unavailable", store.Provider, "the database does not answer", refused), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
