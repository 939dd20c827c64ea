using Microsoft.AspNetCore.Http.HttpResults;
using Throughline.Diagnostics;
using Throughline.Metrics;
using Throughline.Onboarding;
using Throughline.Timeline;
using Throughline.Web.DiagnosticsApi;
using Throughline.Web.Pages;
using Throughline.Web.Projection;

namespace Throughline.Web.DocsPages;

/// <summary>The onboarding docs in the UI: the pages <c>throughline docs</c> writes, rendered, at <c>/docs</c> (the index) and <c>/docs/{path}</c>.</summary>
internal static class DocsPageEndpoints
{
    /// <summary>The scripts a docs page loads: the vendored Mermaid, then ours that starts it.</summary>
    public static readonly IReadOnlyList<string> Scripts = ["/assets/vendor/mermaid-12.3.0/mermaid.min.js", "/assets/js/docs.js"];

    public static void MapDocsPages(this WebApplication app)
    {
        app.MapGet("/docs", (TimelineProjection projection, DiagnosticsDesk desk, TimeProvider time, CancellationToken cancellationToken) =>
            PageAsync(projection, desk, time, null, cancellationToken)).ExcludeFromDescription().DerivedFromTimeline(WhileLoading.Page).DrawsDiagrams();
        app.MapGet("/docs/{**path}", PageAsync).ExcludeFromDescription().DerivedFromTimeline(WhileLoading.Page).DrawsDiagrams();
    }

    private static async Task<IResult> PageAsync(
        TimelineProjection projection, DiagnosticsDesk desk, TimeProvider time, string? path, CancellationToken cancellationToken)
    {
        if (projection.Model is not { } model)
        {
            return NotFound("operating model, and the onboarding docs are written from one: start the server with --model");
        }

        // The pages read the organisation-wide diagnosis of the last 30 days, the one the Diagnostics page keeps for its default question.
        var now = time.GetUtcNow();
        var query = MetricsQueryReader.Default(now);
        var answer = await desk.AnswerAsync(projection, query, null, null, new WhatIfOptions(), cancellationToken);
        var wanted = DocsMarkdown.PagePathOf(path);
        var page = OnboardingDocs.Write(projection.Current, model, answer.Diagnosis, now).FirstOrDefault(p => p.Path == wanted);
        if (page is null)
        {
            return NotFound($"onboarding docs page {wanted}");
        }

        return new RazorComponentResult<DocsPage>(new Dictionary<string, object?>
        {
            [nameof(DocsPage.Page)] = page,
            [nameof(DocsPage.Html)] = DocsMarkdown.ToHtml(page),
            [nameof(DocsPage.Organization)] = model.Organization,
        });
    }

    private static RazorComponentResult<NotFoundPage> NotFound(string what) =>
        new(new Dictionary<string, object?> { [nameof(NotFoundPage.What)] = what }) { StatusCode = StatusCodes.Status404NotFound };
}
