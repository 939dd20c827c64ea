using System.Diagnostics;

namespace Throughline.Web;

/// <summary>One line per request, at Debug, written when the answer is known.</summary>
/// <remarks>
/// ASP.NET Core's own per-request lines (three to six of them, at Information) are held back to Warning by
/// <see cref="ThroughlineApp"/> unless the level is Trace, so at Debug a request is logged exactly once and at the
/// default level not at all. The line names the path but never the query string, which may hold a token (<c>?token=</c>);
/// ASP.NET's lines at Trace do name it, and <see cref="LogRedaction"/> takes its values out of them.
/// </remarks>
internal static partial class RequestLog
{
    public const string Category = "Throughline.Web.Requests";

    public static void UseRequestLog(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        // The level is fixed when the server starts: below Debug, requests cost nothing here.
        if (!logger.IsEnabled(LogLevel.Debug))
        {
            return;
        }

        app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            var status = StatusCodes.Status500InternalServerError; // what the client gets if the rest throws
            try
            {
                await next(context);
                status = context.Response.StatusCode;
            }
            finally
            {
                Log.Answered(logger, context.Request.Method, context.Request.Path.Value ?? "/", status, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        });
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "{Method} {Path} answered {StatusCode} in {Milliseconds:F1} ms")]
        public static partial void Answered(ILogger logger, string method, string path, int statusCode, double milliseconds);
    }
}
