using System.Globalization;
using System.Text;
using Throughline.Diagnostics;
using Throughline.Metrics;

namespace Throughline.Cli;

/// <summary>The diagnosis as text for a terminal: what to fix next first, then each finding with enough evidence to look it up.</summary>
internal static class DiagnosisText
{
    /// <summary>How many rows of one finding the text shows (the JSON has them all).</summary>
    private const int Rows = 10;

    public static string Write(Diagnosis diagnosis, string organization)
    {
        var text = new StringBuilder();
        void Line(FormattableString line) => text.Append(line.ToString(CultureInfo.InvariantCulture)).Append('\n');
        var scope = diagnosis.Service is { } service ? $"service {service}" : diagnosis.Team is { } team ? $"team {team}" : "every service";
        Line($"Diagnostics for {organization}, {diagnosis.From:yyyy-MM-dd HH:mm} to {diagnosis.To:yyyy-MM-dd HH:mm} UTC ({scope})");
        Line($"");
        WhatToFix(diagnosis.WhatIf, Line);
        Signs(diagnosis.WarningSigns, Line);
        Drift(diagnosis.Drift, Line);
        Tools(diagnosis.Tools, Line);
        Checks(diagnosis.MissingChecks, Line);
        Causes(diagnosis.IncidentCauses, Line);
        Line($"Assumptions of the replay:");
        foreach (var assumption in diagnosis.WhatIf.Assumptions)
        {
            Line($"  - {assumption}");
        }

        return text.ToString();
    }

    private static void WhatToFix(WhatIfAdvice advice, Action<FormattableString> line)
    {
        line($"What to fix next");
        if (advice.Baseline is not { } baseline)
        {
            line($"  No advice: {advice.Reason}");
            line($"");
            return;
        }

        line($"  A replay of {advice.Changes:N0} delivered changes, {advice.Trials:N0} trials of {advice.SimulatedChanges:N0} changes each (seed {advice.Seed}).");
        line($"  Lead time now: median {Readable.Hours(advice.MeasuredMedianHours)} measured, {Readable.Hours(baseline.MedianHours)} replayed ({Range(baseline.Median)}); 85th percentile {Readable.Hours(baseline.P85Hours)} ({Range(baseline.P85)}); {baseline.DeploymentsPerDay:0.##} deployments a day.");
        var rank = 0;
        foreach (var scenario in advice.Scenarios.Take(Rows))
        {
            var p = scenario.Prediction;
            line($"  {++rank,2}. {scenario.Name}: median lead time {Readable.Hours(p.MedianHours)} ({Range(p.Median)}), 85th percentile {Readable.Hours(p.P85Hours)} ({Range(p.P85)}), {p.DeploymentsPerDay:0.##} deployments a day; {Gain(scenario)}");
            line($"      {scenario.Detail}");
        }

        More(advice.Scenarios.Count, line);
        foreach (var reason in advice.NotEvaluated)
        {
            line($"  Not evaluated: {reason}");
        }

        line($"");
    }

    private static string Gain(WhatIfScenario scenario) => scenario.GainHours >= 0
        ? string.Create(CultureInfo.InvariantCulture, $"{Readable.Hours(scenario.GainHours)} faster ({Readable.Percent(scenario.GainShare)})")
        : string.Create(CultureInfo.InvariantCulture, $"{Readable.Hours(-scenario.GainHours)} slower");

    private static string Range(Spread spread) => $"{Readable.Hours(spread.Low)} to {Readable.Hours(spread.High)}";

    private static void Signs(WarningSignsReport signs, Action<FormattableString> line)
    {
        line($"Warning signs (value against threshold; trend over the window's four quarters, oldest first)");
        foreach (var sign in signs.Signs)
        {
            var mark = sign.Breached ? "BREACHED" : sign.Value is null ? "nothing to measure" : "ok";
            line($"  {sign.Title}: {SignValue(sign.Value, sign.Unit)} (threshold {SignValue(sign.Threshold, sign.Unit)}) {mark}; trend {string.Join(", ", sign.Trend.Select(v => SignValue(v, sign.Unit)))}");
            line($"      {sign.Reading}");
            foreach (var evidence in sign.Evidence.Take(3))
            {
                line($"      - {evidence.Kind.ToString().ToLowerInvariant()} {evidence.Id}{(evidence.Note is { } note ? ": " + note : "")}");
            }

            if (sign.EvidenceTotal > 3)
            {
                line($"      ... and {sign.EvidenceTotal - 3:N0} more (--format json lists up to {WarningSign.MaxEvidence})");
            }
        }

        line($"");
    }

    /// <summary>A sign's value in its unit: a share as a percentage, days and people and findings as numbers.</summary>
    private static string SignValue(double? value, string unit) => value is not { } v ? "-" : unit switch
    {
        "share" => Readable.Percent(v),
        "days" => string.Create(CultureInfo.InvariantCulture, $"{v:0.#} days"),
        _ => v.ToString("0.#", CultureInfo.InvariantCulture),
    };

    private static void Causes(IncidentCausesReport causes, Action<FormattableString> line)
    {
        line($"Recurring incident causes: {causes.Recurring:N0} of {causes.Groups.Count:N0} causes of {causes.Incidents:N0} incidents seen more than once");
        foreach (var group in causes.Groups.Take(Rows))
        {
            line($"  {group.Service}, caused at {group.Stage}, {group.Cause}: {group.Summary}; median recovery {Readable.Hours(group.MedianRecoveryHours)}, e.g. {group.Incidents[^1].Id}");
        }

        More(causes.Groups.Count, line);
        line($"");
    }

    private static void Drift(DriftReport drift, Action<FormattableString> line)
    {
        line($"Drift from the model");
        line($"  Approvals outside the approving responsibility: {drift.OutsideApprovals.Count:N0}");
        foreach (var work in drift.OutsideApprovals.Take(Rows))
        {
            line($"    {work.Change}: {work.Stage} done by {work.Person} ({work.ActorTeam}), not {work.OwnerTeam}; event {work.Event}");
        }

        More(drift.OutsideApprovals.Count, line, "    ");
        line($"  Stages done by another team: {drift.OtherTeamWork.Count:N0}");
        foreach (var group in drift.OtherTeamWork.GroupBy(w => (w.Stage, w.ActorTeam, w.OwnerTeam)).OrderByDescending(g => g.Count()).Take(Rows))
        {
            line($"    {group.Key.Stage}: {group.Count():N0} by {group.Key.ActorTeam} instead of {group.Key.OwnerTeam}, e.g. {group.First().Change}");
        }

        line($"  Stages skipped: {drift.Skipped.Count:N0} stage and service pairs");
        foreach (var skipped in drift.Skipped.OrderByDescending(s => s.Share).Take(Rows))
        {
            line($"    {skipped.Stage} of {skipped.Service}: {skipped.Changes.Count:N0} of {skipped.Delivered:N0} delivered changes ({Readable.Percent(skipped.Share)}), e.g. {skipped.Changes[0]}");
        }

        line($"  Declared stages never observed: {(drift.NeverObserved.Count == 0 ? "none" : string.Join(", ", drift.NeverObserved))}");
        line($"  Actors nobody claims: {(drift.UnknownActors.Count == 0 ? "none" : string.Join(", ", drift.UnknownActors.Take(Rows).Select(a => $"{a.Actor} ({a.Stages})")))}");
        line($"  Events from undeclared sources: {drift.UndeclaredSources.Sum(s => s.Events):N0}");
        foreach (var source in drift.UndeclaredSources.Take(Rows))
        {
            line($"    {source.Source}: {source.Events:N0}, last {source.LastEventAt:yyyy-MM-dd HH:mm}");
        }

        line($"");
    }

    private static void Tools(IReadOnlyList<ToolConnection> tools, Action<FormattableString> line)
    {
        line($"Tools as they connect");
        foreach (var tool in tools)
        {
            var last = tool.LastEventAt is { } at ? at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "never";
            var fed = tool.Stages.Count == 0 ? "no stage" : string.Join(", ", tool.Stages.Select(s => $"{s.Stage} ({s.Intervals:N0})"));
            var silent = tool.Silent ? string.Create(CultureInfo.InvariantCulture, $"; SILENT for {Readable.Hours(tool.SilentHours)}, usually every {Readable.Hours(tool.MedianGapHours)}, never quiet for more than {Readable.Hours(tool.LongestGapHours)} in the month before") : "";
            line($"  {tool.Tool} ({tool.Kind}): last event {last}, {tool.EventsPerDay:0.#} a day, {Readable.Percent(tool.UnmappedShare, "none")} unmapped, {tool.RefusedDeliveries:N0} refused; feeds {fed}{silent}");
        }

        line($"");
    }

    private static void Checks(MissingChecksReport checks, Action<FormattableString> line)
    {
        line($"Missing checks");
        foreach (var stage in checks.Stages.Where(s => s.Changes.Count > 0).OrderByDescending(s => s.Share).Take(Rows))
        {
            line($"  {stage.Stage} of {stage.Service}: {stage.Changes.Count:N0} of {stage.Delivered:N0} delivered changes ({Readable.Percent(stage.Share)}) missed {string.Join(" or ", stage.Required)}, e.g. {stage.Changes[0].Change}");
        }

        line($"  Production deployments that went out without them: {checks.Deployments.Count:N0} ({checks.DeploymentsNotJudged:N0} delivered no known change and were not judged)");
        line($"  Merged changes without review: {checks.Unreviewed.Count:N0} of {checks.Merged:N0} ({Readable.Percent(checks.UnreviewedShare)})");
        line($"");
    }

    private static void More(int count, Action<FormattableString> line, string indent = "  ")
    {
        if (count > Rows)
        {
            line($"{indent}... and {count - Rows:N0} more (--format json lists them all)");
        }
    }
}
