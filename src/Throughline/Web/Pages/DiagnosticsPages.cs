using Microsoft.AspNetCore.Http.HttpResults;
using Throughline.Diagnostics;
using Throughline.Metrics;
using Throughline.Timeline;
using Throughline.Web.DiagnosticsApi;
using Throughline.Web.Projection;

namespace Throughline.Web.Pages;

/// <summary>The diagnostics page: what to fix next, drift from the model, tools, missing checks.</summary>
internal static class DiagnosticsPages
{
    public static void MapDiagnosticsPages(this WebApplication app) =>
        app.MapGet("/diagnostics", DiagnosticsAsync).ExcludeFromDescription().DerivedFromTimeline(WhileLoading.Page);

    private static async Task<IResult> DiagnosticsAsync(
        TimelineProjection projection, DiagnosticsDesk desk, TimeProvider time, string? from, string? to, string? team, string? service, CancellationToken cancellationToken)
    {
        if (projection.Model is null)
        {
            return new RazorComponentResult<NotFoundPage>(new Dictionary<string, object?>
            {
                [nameof(NotFoundPage.What)] = "an operating model: the diagnostics compare what happens with it; start the server with --model",
            })
            { StatusCode = StatusCodes.Status404NotFound };
        }

        // A bad filter or a window beyond the limits falls back to the last 30 days, with the reasons and a 400.
        var query = MetricsQueryReader.Read(from, to, service, team, null, time.GetUtcNow(), projection.Model, out var problems);
        problems = query?.ScopeProblems(projection.Current, projection.Model) ?? problems;
        if (query is null || problems.Count > 0)
        {
            (from, to) = (null, null);
            query = MetricsQueryReader.Default(time.GetUtcNow());
        }

        var answer = await desk.AnswerAsync(projection, query, from, to, new WhatIfOptions(), cancellationToken);
        return new RazorComponentResult<DiagnosticsPage>(new Dictionary<string, object?>
        {
            [nameof(DiagnosticsPage.Diagnosis)] = answer.Diagnosis,
            [nameof(DiagnosticsPage.Model)] = projection.Model,
            [nameof(DiagnosticsPage.ComputedAt)] = answer.ComputedAt,
            [nameof(DiagnosticsPage.ThroughSequence)] = answer.ThroughSequence,
            [nameof(DiagnosticsPage.Refreshing)] = answer.Refreshing,
            [nameof(DiagnosticsPage.Problems)] = problems,
        })
        {
            StatusCode = problems.Count > 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK,
        };
    }
}
