using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Throughline.Metrics;
using Throughline.Diagnostics;
using Throughline.Timeline;
using Throughline.Web.DiagnosticsApi;
using Throughline.Web.Projection;

namespace Throughline.Web.Pages;

/// <summary>The value stream map and the evidence behind each of its figures.</summary>
internal static class FlowPages
{
    public static void MapFlowPages(this WebApplication app)
    {
        app.MapGet("/value-stream", ValueStream).ExcludeFromDescription().DerivedFromTimeline(WhileLoading.Page);
        app.MapGet("/value-stream/evidence", Evidence).ExcludeFromDescription().DerivedFromTimeline(WhileLoading.Page);
    }

    private static IResult ValueStream(TimelineProjection projection, DiagnosticsDesk desk, TimeProvider time, string? from, string? to, string? team, string? service)
    {
        // A bad filter or a window beyond the limits falls back to the last 30 days, with the reasons and a 400.
        var query = MetricsQueryReader.Read(from, to, service, team, null, time.GetUtcNow(), projection.Model, out var problems);
        if (query is null)
        {
            (from, to) = (null, null);
            query = MetricsQueryReader.Default(time.GetUtcNow());
        }

        var flow = MetricsAnswers.Flow(projection.Current, projection.Model, query, projection.Unmapped);
        var chart = new
        {
            labels = flow.Stages.FirstOrDefault()?.Queue.Select(p => p.At.AddTicks(-1).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList() ?? [],
            series = flow.Stages.Select(s => new { id = s.Stage, label = s.Name ?? s.Stage, values = s.Queue.Select(p => p.Waiting).ToList() }).ToList(),
        };
        return new RazorComponentResult<ValueStreamPage>(new Dictionary<string, object?>
        {
            [nameof(ValueStreamPage.Flow)] = flow,
            [nameof(ValueStreamPage.Model)] = projection.Model,

            // System.Text.Json's default encoder escapes <, >, & and quotes, so the text is safe inside a script element.
            [nameof(ValueStreamPage.QueueJson)] = JsonSerializer.Serialize(chart),
            [nameof(ValueStreamPage.Problems)] = problems,

            // The advice takes seconds to replay: the page shows the latest kept one, or says it is being computed.
            [nameof(ValueStreamPage.Advice)] = projection.Model is { Flow.Count: > 0 } ? desk.Peek(projection, query, from, to, new WhatIfOptions())?.Diagnosis.WhatIf : null,
        })
        {
            StatusCode = problems.Count > 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK,
        };
    }

    /// <summary>
    /// The items behind a flow figure: <c>figure=efficiency</c> (the delivered changes), <c>stage=S</c> (the intervals
    /// that ended in the window), <c>stage=S&amp;at=T</c> (the queue at T), <c>stage=S&amp;from-team=A&amp;to-team=B</c> (handoffs).
    /// </summary>
    private static RazorComponentResult<FlowEvidencePage> Evidence(
        HttpRequest request, TimelineProjection projection, TimeProvider time, string? figure, string? stage, string? at, string? from, string? to, string? team, string? service)
    {
        var model = projection.Model;
        var query = MetricsQueryReader.Read(from, to, service, team, null, time.GetUtcNow(), model, out var problems);
        var found = problems.ToList();
        var (fromTeam, toTeam) = (Display.Blank(request.Query["from-team"]), Display.Blank(request.Query["to-team"]));
        var instant = MetricsQueryReader.Instant(at, "at", found);

        if (figure != "efficiency" && (Display.Blank(stage) is not { } id || model?.Flow.All(s => s.Id != id) != false))
        {
            found.Add($"'stage' is '{stage}', not a stage of the model (expected one of: {string.Join(", ", model?.Flow.Select(s => s.Id) ?? [])}), or ask for figure=efficiency");
        }

        var parameters = new Dictionary<string, object?>
        {
            [nameof(FlowEvidencePage.Organization)] = model?.Organization,
            [nameof(FlowEvidencePage.Problems)] = (IReadOnlyList<string>)found,
        };
        if (query is null || found.Count > 0)
        {
            return new RazorComponentResult<FlowEvidencePage>(parameters) { StatusCode = StatusCodes.Status400BadRequest };
        }

        var snapshot = projection.Current;
        parameters[nameof(FlowEvidencePage.Query)] = query;
        parameters[nameof(FlowEvidencePage.Flow)] = MetricsAnswers.Flow(snapshot, model, query, projection.Unmapped);
        if (figure == "efficiency")
        {
            parameters[nameof(FlowEvidencePage.Efficiency)] = FlowCalculator.EfficiencyBehind(snapshot, model, query);
            return new RazorComponentResult<FlowEvidencePage>(parameters);
        }

        var flowStage = model!.Flow.First(s => s.Id == stage);
        parameters[nameof(FlowEvidencePage.Stage)] = flowStage;
        parameters[nameof(FlowEvidencePage.At)] = instant;
        parameters[nameof(FlowEvidencePage.FromTeam)] = fromTeam;
        parameters[nameof(FlowEvidencePage.ToTeam)] = toTeam;
        parameters[nameof(FlowEvidencePage.Passages)] = instant is { } moment
            ? FlowCalculator.QueueAt(snapshot, flowStage.Id, query, moment)
            : FlowCalculator.PassagesBehind(snapshot, flowStage.Id, query, fromTeam, toTeam);
        return new RazorComponentResult<FlowEvidencePage>(parameters);
    }
}
