using Throughline.Model;
using Throughline.Timeline;

namespace Throughline.Metrics;

/// <summary>What a metrics answer covers.</summary>
/// <param name="Service">The service asked for, or null for all.</param>
/// <param name="Team">The team asked for, or null.</param>
/// <param name="Environment">The environment asked for, or null for every production environment.</param>
public sealed record MetricsScope(string? Service, string? Team, string? Environment);

/// <summary>
/// The 2024 DORA report's performance clusters, as an optional classification next to the numbers, never instead
/// of them. Each metric is placed on its own; rework rate has no published clusters.
/// </summary>
/// <param name="Year">The report the bands come from.</param>
/// <param name="DeploymentFrequency">elite (at least daily), high (at least weekly), medium (at least monthly) or low; null without data.</param>
/// <param name="ChangeLeadTime">elite (under a day), high (under a week), medium (under a month) or low, by the median.</param>
/// <param name="ChangeFailureRate">elite (≤ 5 %), high (≤ 20 %), medium (≤ 40 %) or low. The report's medium cluster had a lower rate (10 %) than high (20 %); Throughline bands this metric by value alone.</param>
/// <param name="FailedDeploymentRecoveryTime">elite (under an hour), high (under a day), medium (under a week) or low, by the median.</param>
public sealed record DoraBands(int Year, string? DeploymentFrequency, string? ChangeLeadTime, string? ChangeFailureRate, string? FailedDeploymentRecoveryTime)
{
    /// <summary>The 2024 bands of <paramref name="metrics"/>; deployment frequency is banded by days between deployments.</summary>
    public static DoraBands Of2024(DoraMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var perDay = metrics.DeploymentFrequency.Deployments == 0 ? (double?)null : metrics.DeploymentFrequency.PerDay;
        return new DoraBands(
            2024,
            Band(perDay is null ? null : 1 / perDay.Value, 1, 7, 30, inclusive: true),
            Band(metrics.ChangeLeadTime.MedianHours, 24, 24 * 7, 24 * 30),
            Band(metrics.ChangeFailureRate.Rate, 0.05, 0.20, 0.40, inclusive: true),
            Band(metrics.FailedDeploymentRecoveryTime.MedianHours, 1, 24, 24 * 7));
    }

    /// <summary>Lower is better: elite below the first limit, then high, medium, low.</summary>
    private static string? Band(double? value, double elite, double high, double medium, bool inclusive = false)
    {
        if (value is not { } v)
        {
            return null;
        }

        bool Within(double limit) => inclusive ? v <= limit : v < limit;
        return Within(elite) ? "elite" : Within(high) ? "high" : Within(medium) ? "medium" : "low";
    }
}

/// <summary>The answer of <c>GET /api/metrics/dora</c> and of <c>throughline report</c>.</summary>
public sealed record DoraAnswer(
    DateTimeOffset From, DateTimeOffset To, MetricsScope Scope,
    DeploymentFrequency DeploymentFrequency, ChangeLeadTime ChangeLeadTime, ChangeFailureRate ChangeFailureRate,
    FailedDeploymentRecoveryTime FailedDeploymentRecoveryTime, DeploymentReworkRate DeploymentReworkRate,
    IReadOnlyList<DoraPoint>? Series, DoraBands? Bands, QualityReport Quality, IReadOnlyDictionary<string, string> Definitions);

/// <summary>The answer of <c>GET /api/metrics/flow</c> and of <c>throughline report</c>.</summary>
/// <remarks>With a team, the stages are the work the team holds and the handoffs those into or out of it (<see cref="FlowScope"/>).</remarks>
public sealed record FlowAnswer(
    DateTimeOffset From, DateTimeOffset To, MetricsScope Scope, FlowEfficiency Efficiency, IReadOnlyList<StageFlow> Stages, IReadOnlyList<Handoff> Handoffs,
    IReadOnlyList<string> Bottlenecks, QualityReport Quality, IReadOnlyDictionary<string, string> Definitions);

/// <summary>Builds the metrics answers the API and the command line share.</summary>
public static class MetricsAnswers
{
    /// <summary>One line per metric: what it counts, from which timestamps, over which window (details in docs/metrics.md).</summary>
    public static IReadOnlyDictionary<string, string> Definitions { get; } = new Dictionary<string, string>
    {
        ["deploymentFrequency"] = "production deployments (deployed, upgraded, rolled back) with from <= time < to; perDay = deployments / window days",
        ["changeLeadTime"] = "first production delivery - start (first commit, else created, else merged), over changes first delivered in the window; changes predating the observed history left out; PERCENTILE_CONT",
        ["changeFailureRate"] = "failed / production deployments in the window; failed = an attributed incident, or the next deployment of the service and environment is a rollback",
        ["failedDeploymentRecoveryTime"] = "recovered - deployment time, recovered = earlier of the first deployment at or after the failure was known and the last resolution of its incidents; unrecovered ones counted apart",
        ["deploymentReworkRate"] = "rework / production deployments in the window; rework = a rollback, or the first deployment after an attributed incident was detected while it is still open",
    };

    /// <summary>One line per flow figure (details in docs/metrics.md, "Flow").</summary>
    public static IReadOnlyDictionary<string, string> FlowDefinitions { get; } = new Dictionary<string, string>
    {
        ["stageInterval"] = "a change enters a stage when the previous stage ends (the first stage: when the change starts: first commit, else created); it waits from entry to the stage's starts event (a stage without one, or whose start was never seen, waits throughout) and works from starts to ends",
        ["flowEfficiency"] = "over the changes first delivered to production in the window: sum of working time / sum of (waiting + working) time of their stages in scope (overall), and the median of each change's own ratio (medianPerChange)",
        ["stageFlowEfficiency"] = "per stage: sum of working / sum of (waiting + working) over the stage intervals that ended in the window",
        ["queue"] = "per stage, at the end of each UTC day of the window: changes that had entered the stage and not started it (review: waiting for the first review)",
        ["handoff"] = "a stage whose owning team differs from the previous done stage's; its waiting is the time the work waited at that boundary",
        ["usualAge"] = "on the board, a card is longer than usual at its stage when it has been there longer than the 85th percentile of how long the cards at that stage had been there at the same time of the week, one to four weeks earlier",
        ["team"] = "with team=, the stage intervals the team holds (their owner resolved for each change's service) and the handoffs into or out of it; DORA by team counts the services it owns",
    };

    /// <summary>The DORA answer for <paramref name="query"/>; <paramref name="interval"/> is <c>day</c>, <c>week</c> or null.</summary>
    public static DoraAnswer Dora(
        TimelineSnapshot snapshot, OperatingModel? model, MetricsQuery query, string? interval, bool bands,
        IReadOnlyDictionary<(string Source, string Type), int> unmapped)
    {
        ArgumentNullException.ThrowIfNull(query);
        var metrics = DoraCalculator.Compute(snapshot, model, query);
        var series = interval is null ? null : DoraCalculator.Series(snapshot, model, query, weekly: interval == "week");
        return new DoraAnswer(
            query.From, query.To, new MetricsScope(query.Service, query.Team, query.Environment),
            metrics.DeploymentFrequency, metrics.ChangeLeadTime, metrics.ChangeFailureRate, metrics.FailedDeploymentRecoveryTime, metrics.DeploymentReworkRate,
            series, bands ? DoraBands.Of2024(metrics) : null, QualityReport.Compute(snapshot, model, query, unmapped), Definitions);
    }

    /// <summary>The flow answer for <paramref name="query"/>.</summary>
    public static FlowAnswer Flow(
        TimelineSnapshot snapshot, OperatingModel? model, MetricsQuery query, IReadOnlyDictionary<(string Source, string Type), int> unmapped)
    {
        ArgumentNullException.ThrowIfNull(query);
        var flow = FlowCalculator.Compute(snapshot, model, query);
        return new FlowAnswer(query.From, query.To, new MetricsScope(query.Service, query.Team, query.Environment), flow.Efficiency, flow.Stages, flow.Handoffs, flow.Bottlenecks,
            QualityReport.Compute(snapshot, model, query, unmapped), FlowDefinitions);
    }
}
