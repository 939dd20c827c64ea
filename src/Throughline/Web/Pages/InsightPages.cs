using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Throughline.Metrics;
using Throughline.Timeline;
using Throughline.Web.Projection;

namespace Throughline.Web.Pages;

/// <summary>The metrics dashboard, the evidence behind each number, and the operating model page.</summary>
public static partial class InsightPages
{
    /// <summary>Rows an evidence list, or a board column shown in full, shows at most (a note says how many were left out).</summary>
    public const int EvidenceCap = 500;

    /// <summary>The five DORA metrics (2024 names) by their API key, in the report's order.</summary>
    public static IReadOnlyList<(string Key, string Name)> Metrics { get; } =
    [
        ("deploymentFrequency", "Deployment frequency"),
        ("changeLeadTime", "Change lead time"),
        ("changeFailureRate", "Change failure rate"),
        ("failedDeploymentRecoveryTime", "Failed deployment recovery time"),
        ("deploymentReworkRate", "Deployment rework rate"),
    ];

    public static void MapInsightPages(this WebApplication app)
    {
        app.MapGet("/metrics-dashboard", DashboardAsync).ExcludeFromDescription().DerivedFromTimeline(WhileLoading.Page);
        app.MapGet("/metrics-dashboard/evidence", Evidence).ExcludeFromDescription().DerivedFromTimeline(WhileLoading.Page);
        app.MapGet("/model", ModelPageResultAsync).ExcludeFromDescription();
    }

    /// <summary>The metric's display name, or null for an unknown key.</summary>
    public static string? NameOf(string? key) => Metrics.FirstOrDefault(m => m.Key == key).Name;

    /// <summary>An instant as short as it can be written without losing anything: a date at midnight, else ISO 8601.</summary>
    public static string Instant(DateTimeOffset time) =>
        time.UtcDateTime.TimeOfDay == TimeSpan.Zero
            ? time.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>The query string of a window and scope (from, to, team, service), to carry between the pages.</summary>
    public static string ScopeQuery(MetricsQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parts = new List<string> { $"from={Uri.EscapeDataString(Instant(query.From))}", $"to={Uri.EscapeDataString(Instant(query.To))}" };
        if (query.Team is not null)
        {
            parts.Add($"team={Uri.EscapeDataString(query.Team)}");
        }

        if (query.Service is not null)
        {
            parts.Add($"service={Uri.EscapeDataString(query.Service)}");
        }

        return string.Join('&', parts);
    }

    /// <summary>A time in UTC for tables.</summary>
    public static string Time(DateTimeOffset? time) => time?.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "-";

    /// <summary>The big number of a metric; "no data" where the metric is undefined, never 0.</summary>
    public static string Value(string key, DoraMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return key switch
        {
            "deploymentFrequency" => metrics.DeploymentFrequency.PerDay >= 1 || metrics.DeploymentFrequency.Deployments == 0
                ? string.Create(CultureInfo.InvariantCulture, $"{metrics.DeploymentFrequency.PerDay:0.##} per day")
                : string.Create(CultureInfo.InvariantCulture, $"{metrics.DeploymentFrequency.PerDay * 7:0.#} per week"),
            "changeLeadTime" => Display.Hours(metrics.ChangeLeadTime.MedianHours),
            "changeFailureRate" => Display.Percent(metrics.ChangeFailureRate.Rate),
            "failedDeploymentRecoveryTime" => Display.Hours(metrics.FailedDeploymentRecoveryTime.MedianHours),
            "deploymentReworkRate" => Display.Percent(metrics.DeploymentReworkRate.Rate),
            _ => "no data",
        };
    }

    /// <summary>What the number rests on, in words.</summary>
    public static string Basis(string key, DoraMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        switch (key)
        {
            case "deploymentFrequency":
                var frequency = metrics.DeploymentFrequency;
                return $"{Count(frequency.Deployments, "deployment")} on {Count(frequency.DeploymentDays, "day")}";
            case "changeLeadTime":
                var lead = metrics.ChangeLeadTime;
                var text = lead.Changes == 0
                    ? "no change first delivered in the window"
                    : $"{Count(lead.Changes, "change")}, median {Display.Hours(lead.MedianHours!.Value)}, p75 {Display.Hours(lead.P75Hours!.Value)}, p90 {Display.Hours(lead.P90Hours!.Value)}";
                return lead.Predating == 0 ? text : $"{text}; {lead.Predating} predating the history left out";
            case "changeFailureRate":
                var failure = metrics.ChangeFailureRate;
                return failure.Deployments == 0 ? "no production deployment in the window" : $"{failure.FailedDeployments} failed of {failure.Deployments}";
            case "failedDeploymentRecoveryTime":
                var recovery = metrics.FailedDeploymentRecoveryTime;
                return recovery.Recovered + recovery.Unrecovered == 0
                    ? "no failed deployment in the window"
                    : $"{recovery.Recovered} recovered, {recovery.Unrecovered} not recovered yet";
            case "deploymentReworkRate":
                var rework = metrics.DeploymentReworkRate;
                return rework.Deployments == 0 ? "no production deployment in the window" : $"{rework.ReworkDeployments} rework of {rework.Deployments}";
            default:
                return "";
        }
    }

    /// <summary>The metric's value in one series point, as a chart plots it (null where undefined).</summary>
    public static double? Plotted(string key, DoraMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return key switch
        {
            "deploymentFrequency" => metrics.DeploymentFrequency.Deployments,
            "changeLeadTime" => Round(metrics.ChangeLeadTime.MedianHours),
            "changeFailureRate" => Round(metrics.ChangeFailureRate.Rate * 100),
            "failedDeploymentRecoveryTime" => Round(metrics.FailedDeploymentRecoveryTime.MedianHours),
            "deploymentReworkRate" => Round(metrics.DeploymentReworkRate.Rate * 100),
            _ => null,
        };
    }

    /// <summary>What a chart's y axis counts.</summary>
    public static string Unit(string key) => key switch
    {
        "deploymentFrequency" => "deployments",
        "changeLeadTime" => "median hours",
        "failedDeploymentRecoveryTime" => "median hours",
        _ => "%",
    };

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 2) : null;

    private static string Count(int count, string noun) => $"{count} {noun}{(count == 1 ? "" : "s")}";


    private static IReadOnlyList<string> ServiceIds(TimelineProjection projection) =>
        projection.Model is { } model
            ? [.. model.Services.Select(s => s.Id)]
            : [.. projection.Current.Deployments.Select(d => d.Service).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    private static async Task<RazorComponentResult<MetricsDashboardPage>> DashboardAsync(
        TimelineProjection projection, Storage.IEventStore store, TimeProvider time, string? from, string? to, string? team, string? service, string? interval,
        CancellationToken cancellationToken)
    {
        var model = projection.Model;
        var query = MetricsQueryReader.Read(from, to, service, team, null, time.GetUtcNow(), model, out var problems);
        var found = problems.ToList();

        // An unreadable window still has its interval checked (by name), so the page lists every problem at once.
        found.AddRange((query ?? MetricsQuery.LastThirtyDays(time.GetUtcNow())).IntervalProblems(Display.Blank(interval)));

        var parameters = new Dictionary<string, object?>
        {
            [nameof(MetricsDashboardPage.From)] = Display.Blank(from),
            [nameof(MetricsDashboardPage.To)] = Display.Blank(to),
            [nameof(MetricsDashboardPage.Team)] = Display.Blank(team),
            [nameof(MetricsDashboardPage.Service)] = Display.Blank(service),
            [nameof(MetricsDashboardPage.Interval)] = Display.Blank(interval),
            [nameof(MetricsDashboardPage.Teams)] = (IReadOnlyList<string>)[.. model?.Teams.Select(t => t.Id) ?? []],
            [nameof(MetricsDashboardPage.Services)] = ServiceIds(projection),
            [nameof(MetricsDashboardPage.Organization)] = model?.Organization,
            [nameof(MetricsDashboardPage.Problems)] = (IReadOnlyList<string>)found,
        };
        if (query is null || found.Count > 0)
        {
            return new RazorComponentResult<MetricsDashboardPage>(parameters) { StatusCode = StatusCodes.Status400BadRequest };
        }

        var weekly = Display.Blank(interval) is { } chosen ? chosen == "week" : query.Days > 45;
        var answer = MetricsAnswers.Dora(projection.Current, model, query, weekly ? "week" : "day", bands: true, projection.Unmapped);
        var series = answer.Series ?? [];
        var chart = new
        {
            labels = series.Select(p => p.From.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList(),
            series = Metrics.Select(m => new { id = m.Key, label = m.Name, unit = Unit(m.Key), values = series.Select(p => Plotted(m.Key, p.Metrics)).ToList() }).ToList(),
            modelChanges = ModelChangeMarks.Of(await store.ListModelVersionsAsync(cancellationToken), series)
                .Select(m => new { index = m.Index, label = m.Label }).ToList(),
        };
        parameters[nameof(MetricsDashboardPage.Query)] = query;
        parameters[nameof(MetricsDashboardPage.Answer)] = answer;
        parameters[nameof(MetricsDashboardPage.Weekly)] = weekly;

        // System.Text.Json's default encoder escapes <, >, & and quotes, so the text is safe inside a script element.
        parameters[nameof(MetricsDashboardPage.SeriesJson)] = JsonSerializer.Serialize(chart);
        return new RazorComponentResult<MetricsDashboardPage>(parameters);
    }

    private static RazorComponentResult<EvidencePage> Evidence(
        TimelineProjection projection, TimeProvider time, string? metric, string? from, string? to, string? team, string? service)
    {
        var model = projection.Model;
        var query = MetricsQueryReader.Read(from, to, service, team, null, time.GetUtcNow(), model, out var problems);
        var found = problems.ToList();
        if (NameOf(metric) is null)
        {
            found.Add($"'metric' is '{metric}', not one of: {string.Join(", ", Metrics.Select(m => m.Key))}");
        }

        var parameters = new Dictionary<string, object?>
        {
            [nameof(EvidencePage.Metric)] = metric ?? "",
            [nameof(EvidencePage.Organization)] = model?.Organization,
            [nameof(EvidencePage.Problems)] = (IReadOnlyList<string>)found,
        };
        if (query is null || found.Count > 0)
        {
            return new RazorComponentResult<EvidencePage>(parameters) { StatusCode = StatusCodes.Status400BadRequest };
        }

        var snapshot = projection.Current;
        parameters[nameof(EvidencePage.Query)] = query;
        parameters[nameof(EvidencePage.Numbers)] = DoraCalculator.Compute(snapshot, model, query);
        if (metric == "changeLeadTime")
        {
            parameters[nameof(EvidencePage.Changes)] = DoraCalculator.ChangesBehind(snapshot, model, query);
        }
        else
        {
            var deployments = DoraCalculator.DeploymentsBehind(snapshot, model, query);
            parameters[nameof(EvidencePage.Deployments)] = metric == "failedDeploymentRecoveryTime"
                ? (IReadOnlyList<DeploymentEvidence>)[.. deployments.Where(d => d.Failed)]
                : deployments;
        }

        return new RazorComponentResult<EvidencePage>(parameters);
    }
}
