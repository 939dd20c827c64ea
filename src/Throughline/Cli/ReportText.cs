using System.Globalization;
using Throughline.Metrics;

namespace Throughline.Cli;

/// <summary>The report as a terminal table or as CSV, and the lines that say when the window holds no event or rows were skipped.</summary>
internal static class ReportText
{
    /// <summary>
    /// The stored rows the timeline skipped because they cannot be read, for stderr: a line saying how many, then one per row
    /// kept (<c>event N: REASON</c>, as <c>GET /api/timeline</c> lists them). Empty when none.
    /// </summary>
    public static IEnumerable<string> UnreadableLines(Throughline.Timeline.UnreadableReport report, string verb)
    {
        if (report.Count == 0)
        {
            yield break;
        }

        yield return $"throughline {verb}: {report.Count:N0} stored event(s) cannot be read and were left out (GET /api/events/N/raw on the server shows one as stored):";
        foreach (var row in report.Events)
        {
            yield return $"  {row}";
        }

        if (report.Count > report.Events.Count)
        {
            yield return $"  ... and {report.Count - report.Events.Count:N0} more";
        }
    }

    /// <summary>
    /// One line saying that every stored event lies before or after the window, with the span they do cover and the
    /// options that would select it; or that the database holds no event at all. Null when the window meets the span.
    /// </summary>
    public static string? EmptyWindowNotice(Throughline.Timeline.TimelineProjection projection, MetricsQuery query, bool defaultWindow, string database)
    {
        if (projection is not { FirstEventAt: { } first, LastEventAt: { } last })
        {
            return $"{database} holds no events yet: store some with 'throughline ingest FILE' or send them to 'throughline serve'.";
        }

        if (last >= query.From && first < query.To)
        {
            return null;
        }

        var window = defaultWindow ? "the last 30 days" : "the window asked for";
        var lastDay = new DateTimeOffset(last.UtcDateTime.Date, TimeSpan.Zero).AddDays(1);

        // The window suggested stays within the question limits: the last MaxWindowDays of the history at most.
        var firstDay = new DateTimeOffset(first.UtcDateTime.Date, TimeSpan.Zero);
        var longest = lastDay.AddDays(-MetricsQuery.MaxWindowDays);
        return $"no event in {window} ({query.From.UtcDateTime:yyyy-MM-dd HH:mm} to {query.To.UtcDateTime:yyyy-MM-dd HH:mm} UTC); " +
            $"the {projection.EventsRead:N0} events stored run from {first.UtcDateTime:yyyy-MM-dd HH:mm} to {last.UtcDateTime:yyyy-MM-dd HH:mm} UTC: " +
            $"try --from {(firstDay > longest ? firstDay : longest):yyyy-MM-dd} --to {lastDay:yyyy-MM-dd}";
    }

    private static string Number(double? value, string format = "0.##") => value?.ToString(format, CultureInfo.InvariantCulture) ?? "-";

    private static IEnumerable<(string Metric, string Value, string Basis)> Rows(DoraAnswer dora) =>
    [
        ("deployment frequency", $"{Number(dora.DeploymentFrequency.PerDay, "0.###")} per day", $"{dora.DeploymentFrequency.Deployments} deployments on {dora.DeploymentFrequency.DeploymentDays} days"),
        ("change lead time (median)", Duration(dora.ChangeLeadTime.MedianHours), $"p75 {Duration(dora.ChangeLeadTime.P75Hours)}, p90 {Duration(dora.ChangeLeadTime.P90Hours)}, {dora.ChangeLeadTime.Changes} changes ({dora.ChangeLeadTime.Predating} predating left out)"),
        ("change failure rate", Percent(dora.ChangeFailureRate.Rate), $"{dora.ChangeFailureRate.FailedDeployments} failed of {dora.ChangeFailureRate.Deployments}"),
        ("failed deployment recovery time (median)", Duration(dora.FailedDeploymentRecoveryTime.MedianHours), $"{dora.FailedDeploymentRecoveryTime.Recovered} recovered, {dora.FailedDeploymentRecoveryTime.Unrecovered} not yet"),
        ("deployment rework rate", Percent(dora.DeploymentReworkRate.Rate), $"{dora.DeploymentReworkRate.ReworkDeployments} rework of {dora.DeploymentReworkRate.Deployments}"),
    ];

    private static string Percent(double? rate) => Readable.Percent(rate, none: "-");

    private static string Duration(double? hours) => Readable.Hours(hours, none: "-");

    public static string Table(DoraAnswer dora, FlowAnswer flow)
    {
        var text = new System.Text.StringBuilder();
        text.Append($"DORA metrics from {dora.From:yyyy-MM-dd HH:mm} to {dora.To:yyyy-MM-dd HH:mm} UTC");
        text.Append(dora.Scope.Service is { } s ? $", service {s}" : "").Append(dora.Scope.Team is { } t ? $", team {t}" : "");
        text.Append(dora.Scope.Environment is { } e ? $", environment {e}" : ", production").Append('\n');
        var rows = Rows(dora).ToList();
        var width = rows.Max(r => r.Metric.Length);
        var valueWidth = rows.Max(r => r.Value.Length);
        foreach (var (metric, value, basis) in rows)
        {
            text.Append("  ").Append(metric.PadRight(width)).Append("  ").Append(value.PadLeft(valueWidth)).Append("  ").Append(basis).Append('\n');
        }

        if (dora.Bands is { } bands)
        {
            text.Append($"  {bands.Year} bands: deployment frequency {bands.DeploymentFrequency ?? "-"}, lead time {bands.ChangeLeadTime ?? "-"}, failure rate {bands.ChangeFailureRate ?? "-"}, recovery {bands.FailedDeploymentRecoveryTime ?? "-"}\n");
        }

        if (flow.Stages.Count > 0)
        {
            var efficiency = flow.Efficiency;
            text.Append($"\nFlow efficiency: {Percent(efficiency.Overall)} of the time {efficiency.Changes} delivered changes spent in the stages was work ");
            text.Append($"({Duration(efficiency.WorkingHours)} of {Duration(efficiency.ElapsedHours)}); the median change: {Percent(efficiency.MedianPerChange)}\n");
            text.Append("Flow per stage (median / p90)\n");
            text.Append("  stage            changes   waiting              working              efficiency  share of lead time\n");
            foreach (var stage in flow.Stages)
            {
                text.Append($"  {stage.Stage,-16} {stage.Changes,7}   {Duration(stage.Waiting.MedianHours),8} / {Duration(stage.Waiting.P90Hours),-9} {Duration(stage.Working.MedianHours),8} / {Duration(stage.Working.P90Hours),-9} {Percent(stage.FlowEfficiency),10}  {Percent(stage.ShareOfLeadTime)}\n");
            }

            text.Append($"  bottlenecks: {string.Join(" > ", flow.Bottlenecks)}\n");
            foreach (var handoff in flow.Handoffs.Take(5))
            {
                text.Append($"  handoff {handoff.FromTeam} -> {handoff.ToTeam} at {handoff.Stage}: {handoff.Handoffs} times, median wait {Duration(handoff.Waiting.MedianHours)}\n");
            }
        }

        var quality = dora.Quality;
        text.Append("\nData quality\n");
        text.Append($"  production deployments with no linked change: {quality.DeploymentsWithoutChange}\n");
        text.Append($"  changes predating the observed history: {quality.ChangesPredatingHistory}\n");
        text.Append($"  incidents naming no service: {quality.IncidentsWithoutService}\n");
        text.Append($"  unattributed incidents: {quality.UnattributedIncidents.Count}\n");
        foreach (var incident in quality.UnattributedIncidents.Take(10))
        {
            text.Append($"    {incident.Incident}: {incident.Reason}\n");
        }

        text.Append($"  unmapped events: {quality.Unmapped.Sum(u => u.Events)}{string.Concat(quality.Unmapped.Take(5).Select(u => $"\n    {u.Events} x {u.Type} from {u.Source}"))}\n");
        text.Append($"  stages never observed: {(quality.StagesNeverObserved.Count == 0 ? "none" : string.Join(", ", quality.StagesNeverObserved))}\n");
        return text.ToString();
    }

    public static string Csv(DoraAnswer dora, FlowAnswer flow)
    {
        var text = new System.Text.StringBuilder("section,name,value,detail\n");
        static string Field(string value) => value.Contains(',', StringComparison.Ordinal) || value.Contains('"', StringComparison.Ordinal) ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
        void Row(string section, string name, double? value, string detail) =>
            text.Append(Field(section)).Append(',').Append(Field(name)).Append(',').Append(value?.ToString("R", CultureInfo.InvariantCulture) ?? "").Append(',').Append(Field(detail)).Append('\n');
        Row("dora", "deploymentFrequency.perDay", dora.DeploymentFrequency.PerDay, $"{dora.DeploymentFrequency.Deployments} deployments");
        Row("dora", "changeLeadTime.medianHours", dora.ChangeLeadTime.MedianHours, $"{dora.ChangeLeadTime.Changes} changes");
        Row("dora", "changeLeadTime.p75Hours", dora.ChangeLeadTime.P75Hours, "");
        Row("dora", "changeLeadTime.p90Hours", dora.ChangeLeadTime.P90Hours, "");
        Row("dora", "changeFailureRate.rate", dora.ChangeFailureRate.Rate, $"{dora.ChangeFailureRate.FailedDeployments} of {dora.ChangeFailureRate.Deployments}");
        Row("dora", "failedDeploymentRecoveryTime.medianHours", dora.FailedDeploymentRecoveryTime.MedianHours, $"{dora.FailedDeploymentRecoveryTime.Unrecovered} unrecovered");
        Row("dora", "deploymentReworkRate.rate", dora.DeploymentReworkRate.Rate, $"{dora.DeploymentReworkRate.ReworkDeployments} of {dora.DeploymentReworkRate.Deployments}");
        foreach (var stage in flow.Stages)
        {
            Row("flow", stage.Stage + ".waiting.medianHours", stage.Waiting.MedianHours, $"{stage.Changes} changes");
            Row("flow", stage.Stage + ".working.medianHours", stage.Working.MedianHours, "");
            Row("flow", stage.Stage + ".flowEfficiency", stage.FlowEfficiency, "");
            Row("flow", stage.Stage + ".shareOfLeadTime", stage.ShareOfLeadTime, "");
        }

        Row("quality", "deploymentsWithoutChange", dora.Quality.DeploymentsWithoutChange, "");
        Row("quality", "changesPredatingHistory", dora.Quality.ChangesPredatingHistory, "");
        Row("quality", "unattributedIncidents", dora.Quality.UnattributedIncidents.Count, "");
        return text.ToString();
    }
}
