using Throughline.Storage;

namespace Throughline.Web.Probes;

internal static class HealthEndpoints
{
    public sealed record HealthResponse(string Status, string Storage, string? Problem = null);

    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", CheckAsync)
            .WithName("Health")
            .WithSummary("Answers 200 when the server and its database answer, 503 otherwise.")
            .Produces<HealthResponse>()
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> CheckAsync(IEventStore store, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        try
        {
            await store.PingAsync(cancellationToken);
            return TypedResults.Ok(new HealthResponse("ok", store.Provider));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            loggers.CreateLogger("Throughline.Health").LogWarning(exception, "Health check failed: the database does not answer");
            return TypedResults.Json(new HealthResponse("unavailable", store.Provider, "the database does not answer"), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
