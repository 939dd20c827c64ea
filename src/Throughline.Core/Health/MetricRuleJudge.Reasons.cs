using System.Globalization;
using Throughline.Model;

namespace Throughline.Health;

/// <summary>The reasons a person reads next to a rule's verdict: always the counts, the condition and the limit they were held to.</summary>
public static partial class MetricRuleJudge
{
    private static string FailedReason(Tally tally)
    {
        var latest = tally.Failures[^1];
        return FailureCount(tally) + WithoutData(tally) + $"; latest {Number(latest.Value!.Value)} at {Time(latest.At)}"
            + (latest.Baseline is { } baseline ? $" (the previous deployment's: {Number(baseline)})" : "");
    }

    private static string PassedEarlyReason(Tally tally)
    {
        var text = $"passed early: {Plural(tally.Run.Count, "measurement")} in a row {Negated(tally.Rule.FailIf)}{WithinBaseline(tally.Rule)} (consecutive-successes {tally.Rule.ConsecutiveSuccesses})";
        return tally.Failures.Count == 0 ? text : text + "; " + FailureCount(tally);
    }

    private static string PassedAtEndReason(Tally tally) =>
        $"{FailureCount(tally)}{WithoutData(tally)}; {tally.Valued.Count} with a value (min-samples {tally.Rule.MinSamples})";

    private static string RunningReason(Tally tally, DateTimeOffset nextDue) =>
        (tally.Count == 0 ? "no measurement yet" : FailureCount(tally) + " so far" + WithoutData(tally)) + $"; next due {Time(nextDue)}";

    private static string NoDataReason(Tally tally, long missing)
    {
        var errors = tally.Without.Count(m => m.IsError);
        var parts = new List<string> { $"{tally.Without.Count - errors} empty", Plural(errors, "error") };
        if (missing > 0)
        {
            parts.Add($"{Plural(missing, "due time")} not measured");
        }

        var text = $"no data: {tally.Valued.Count} of {Plural(tally.Rule.MinSamples, "sample")} with a value (min-samples {tally.Rule.MinSamples}); {string.Join(", ", parts)}";
        if (tally.Without.LastOrDefault()?.NoDataReason is { } latest)
        {
            text += $"; latest: {latest}";
        }

        if (tally.Failures.Count > 0)
        {
            text += "; " + FailureCount(tally);
        }

        var policy = tally.Rule.NoData switch
        {
            NoDataPolicy.Pass => "pass",
            NoDataPolicy.Fail => "fail",
            _ => "inconclusive",
        };
        return text + $"; no-data: {policy}";
    }

    private static string FailureCount(Tally tally) =>
        $"{tally.Failures.Count} of {Plural(tally.Count, "measurement")} {tally.Rule.FailIf}{AboveBaseline(tally.Rule)} (failure limit {tally.Rule.FailureLimit})";

    /// <summary>How a rule with a baseline also fails: <c> or above 1.5 × the previous deployment's</c>.</summary>
    private static string AboveBaseline(MetricRule rule) =>
        rule.Baseline is { } times ? $" or above {Number(times)} × the previous deployment's" : "";

    private static string WithinBaseline(MetricRule rule) =>
        rule.Baseline is { } times ? $" and within {Number(times)} × the previous deployment's" : "";

    private static string WithoutData(Tally tally) => tally.Without.Count == 0 ? "" : $", {tally.Without.Count} without data";

    /// <summary>The condition under which a measurement passes: <c>&gt; 0.02</c> becomes <c>&lt;= 0.02</c> (exact, values being finite).</summary>
    private static string Negated(MetricCondition condition)
    {
        var opposite = condition.Operator switch
        {
            "<" => ">=",
            "<=" => ">",
            ">" => "<=",
            ">=" => "<",
            "==" => "!=",
            "!=" => "==",
            var other => "not " + other,
        };
        return new MetricCondition(opposite, condition.Threshold).ToString();
    }

    private static string Plural(long count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    private static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
