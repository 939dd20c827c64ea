using Microsoft.AspNetCore.Diagnostics;

namespace Throughline.Web;

/// <summary>Answers a request the database could not serve (see <see cref="TransientFailures.StorageProblem"/>) with 503, problem
/// details and <c>Retry-After</c> instead of a bare 500: in one place, so endpoints have no <c>try</c>/<c>catch</c>.</summary>
/// <remarks>
/// The database fails before commit, so nothing of the request was stored and nothing was acknowledged; the client may send it
/// again. Other exceptions are bugs and stay a 500 (with problem details). Registered ahead of access control, so a token
/// check that cannot reach the database answers 503 too.
/// </remarks>
internal sealed partial class StorageFailureAnswers(ILogger<StorageFailureAnswers> logger) : IExceptionHandler
{
    /// <summary>When a client is told to ask again: the database may be back within seconds (a restart, a failover).</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (TransientFailures.StorageProblem(exception) is not { } problem)
        {
            return false;
        }

        Log.Unavailable(logger, httpContext.Request.Method, httpContext.Request.Path.Value ?? "/", problem, exception.Message);
        await Problems.StorageUnavailable(problem, RetryAfter).ExecuteAsync(httpContext);
        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} answered 503: {Problem} ({Error})")]
        public static partial void Unavailable(ILogger logger, string method, string path, string problem, string error);
    }
}

/// <summary>Registers <see cref="StorageFailureAnswers"/>.</summary>
internal static class StorageFailureRegistration
{
    public static IServiceCollection AddStorageFailureAnswers(this IServiceCollection services) =>
        services.AddExceptionHandler<StorageFailureAnswers>();

    /// <summary>Catches what the rest of the pipeline throws; a storage failure becomes 503, anything else a 500 with problem details.</summary>
    public static void UseStorageFailureAnswers(this WebApplication app) => app.UseExceptionHandler();
}
