using Throughline.Metrics;
using Throughline.Timeline;
using Throughline.Web.Projection;

namespace Throughline.Web.MetricsApi;

internal static class MetricsEndpoints
{
    public static void MapMetricsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/metrics/dora", Dora)
            .WithName("DoraMetrics")
            .WithSummary("The five DORA metrics (2024 names) over a window [from, to) and a scope; null where undefined. interval=day|week adds a series, bands=2024 the report's bands.")
            .Produces<DoraAnswer>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .DerivedFromTimeline();
        app.MapGet("/api/metrics/flow", Flow)
            .WithName("FlowMetrics")
            .WithSummary("Per stage of the flow: changes that passed, waiting and working time, flow efficiency, queue over time; handoffs per team boundary; the bottleneck ranking.")
            .Produces<FlowAnswer>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .DerivedFromTimeline();
        app.MapGet("/api/metrics/quality", Quality)
            .WithName("DataQuality")
            .WithSummary("Why numbers may be missing or weak: deployments with no linked change, predating changes, incidents without a service or unattributed, unmapped events, stages never observed.")
            .Produces<QualityReport>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .DerivedFromTimeline();
        app.MapGet("/metrics", PrometheusExposition.WriteAsync)
            .WithName("Prometheus")
            .WithSummary("Prometheus text exposition: per-service DORA gauges over the last 30 days, and Throughline's own health.")
            .Produces<string>(contentType: PrometheusExposition.ContentType)
            .DerivedFromTimeline(); // a scrape that fails is better than gauges of 0 while loading
    }

    private static IResult Dora(TimelineProjection projection, TimeProvider time, string? from, string? to, string? service, string? team, string? environment, string? interval, string? bands)
    {
        if (bands is not (null or "2024"))
        {
            return Problems.BadQuery("bands", $"'{bands}' is not a report year Throughline knows (2024)");
        }

        return Answer(projection, time, from, to, service, team, environment, query =>
            query.IntervalProblems(interval) is { Count: > 0 } problems
                ? Problems.BadQuery("interval", string.Join("; ", problems))
                : TypedResults.Ok(MetricsAnswers.Dora(projection.Current, projection.Model, query, interval, bands is not null, projection.Unmapped)));
    }

    private static IResult Flow(TimelineProjection projection, TimeProvider time, string? from, string? to, string? service, string? team) =>
        Answer(projection, time, from, to, service, team, null, query => TypedResults.Ok(MetricsAnswers.Flow(projection.Current, projection.Model, query, projection.Unmapped)));

    private static IResult Quality(TimelineProjection projection, TimeProvider time, string? from, string? to, string? service, string? team, string? environment) =>
        Answer(projection, time, from, to, service, team, environment, query => TypedResults.Ok(QualityReport.Compute(projection.Current, projection.Model, query, projection.Unmapped)));

    /// <summary>The answer to a readable query within the limits of <see cref="MetricsQuery"/>, else a 400 naming the problem.</summary>
    private static IResult Answer(
        TimelineProjection projection, TimeProvider time, string? from, string? to, string? service, string? team, string? environment, Func<MetricsQuery, IResult> answer)
    {
        var query = MetricsQueryReader.Read(from, to, service, team, environment, time.GetUtcNow(), projection.Model, out var problems);
        return query is null ? Problems.BadQuery(Named(problems), string.Join("; ", problems)) : answer(query);
    }

    /// <summary>The parameters the problems name (each begins with the parameter in quotes: <c>'to' is ...</c>); the window's ends otherwise.</summary>
    public static string Named(IReadOnlyList<string> problems)
    {
        var named = problems.Where(p => p.Length > 2 && p[0] == '\'' && p.IndexOf('\'', 1) > 1).Select(p => p[1..p.IndexOf('\'', 1)]).Distinct().ToList();
        return named.Count > 0 ? string.Join("/", named) : "from/to";
    }
}
