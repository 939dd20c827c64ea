using Throughline.Diagnostics;
using Throughline.Metrics;
using Throughline.Timeline;
using Throughline.Web.MetricsApi;
using Throughline.Web.Projection;

namespace Throughline.Web.DiagnosticsApi;

internal static class DiagnosticsEndpoints
{
    public static IServiceCollection AddDiagnostics(this IServiceCollection services) => services.AddSingleton<DiagnosticsDesk>();

    public static void MapDiagnosticsEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/diagnostics", DiagnoseAsync)
            .WithName("Diagnostics")
            .WithSummary("What to fix next over a window [from, to) and a scope: what-if advice from a Monte Carlo replay of the measured flow, drift from the model, tools as they connect, missing checks. seed and trials set the replay.")
            .Produces<DiagnosticsAnswer>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .DerivedFromTimeline();

    private static async Task<IResult> DiagnoseAsync(
        TimelineProjection projection, DiagnosticsDesk desk, TimeProvider time, string? from, string? to, string? service, string? team, int? seed, int? trials,
        CancellationToken cancellationToken)
    {
        if (projection.Model is null)
        {
            return Problems.NoModel();
        }

        if (trials is < 1 or > WhatIfOptions.MaxTrials)
        {
            return Problems.BadQuery("trials", $"'trials' is {trials}: expected 1 to {WhatIfOptions.MaxTrials:N0} (default {new WhatIfOptions().Trials:N0})");
        }

        var query = MetricsQueryReader.Read(from, to, service, team, null, time.GetUtcNow(), projection.Model, out var problems);
        if (query is null)
        {
            return Problems.BadQuery(MetricsEndpoints.Named(problems), string.Join("; ", problems));
        }

        if (query.ScopeProblems(projection.Current, projection.Model) is { Count: > 0 } unknown)
        {
            return Problems.BadQuery(query.Service is not null && query.Team is not null ? "service/team" : query.Service is not null ? "service" : "team", string.Join("; ", unknown));
        }

        var options = new WhatIfOptions { Seed = seed ?? 1, Trials = trials ?? new WhatIfOptions().Trials };
        return TypedResults.Ok(await desk.AnswerAsync(projection, query, from, to, options, cancellationToken));
    }
}
