using Throughline.Model;

namespace Throughline.Health;

/// <summary>Where a metric rule stands.</summary>
public enum RuleState
{
    /// <summary>Still measuring.</summary>
    Running,

    /// <summary>Passed (enough good measurements, or no data with the policy <c>pass</c>).</summary>
    Passed,

    /// <summary>Failed (more failed measurements than the limit, or no data with the policy <c>fail</c>).</summary>
    Failed,

    /// <summary>Too few measurements with a value by the window's end, and the policy <c>inconclusive</c> (the default).</summary>
    Inconclusive,
}

/// <summary>One measurement of a rule, as stored in a release-health event.</summary>
/// <param name="At">When it was measured (the query's evaluation time).</param>
/// <param name="Value">The value; null when there was no data.</param>
/// <param name="NoDataReason">Why there was no value (empty result, Prometheus error), when there was none.</param>
/// <param name="Sequence">The stored event.</param>
public sealed record RuleMeasurement(DateTimeOffset At, double? Value, string? NoDataReason, long Sequence);

/// <summary>A metric rule's outcome for one deployment.</summary>
/// <param name="Rule">The rule's id.</param>
/// <param name="State">Where it stands.</param>
/// <param name="At">Since when: the measurement that decided it, or the window's end.</param>
/// <param name="Reason">Why, with the counts.</param>
/// <param name="Measurements">Every measurement so far, in time order.</param>
/// <param name="Evidence">The stored events that decided it.</param>
public sealed record RuleOutcome(string Rule, RuleState State, DateTimeOffset At, string Reason, IReadOnlyList<RuleMeasurement> Measurements, IReadOnlyList<long> Evidence);

/// <summary>Judges a metric rule from its stored measurements, by the rules of docs/metrics.md ("Metric rules").</summary>
/// <remarks>
/// A measurement fails when the rule's condition holds for its value. The rule fails at the measurement that takes the failures
/// past the failure limit; it passes early after <see cref="MetricRule.ConsecutiveSuccesses"/> passing measurements in a row
/// (any failure starts the count again); at the window's end it passes with at least <see cref="MetricRule.MinSamples"/>
/// measurements with a value, else the no-data policy decides. Measurements after the window's end are ignored.
/// </remarks>
public static class RuleOutcomes
{
    /// <summary>The outcome of <paramref name="rule"/> at <paramref name="now"/>.</summary>
    public static RuleOutcome Judge(MetricRule rule, DateTimeOffset windowStart, DateTimeOffset windowEnd, DateTimeOffset now, IReadOnlyList<RuleMeasurement> measurements)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(measurements);
        var taken = measurements.Where(m => m.At >= windowStart && m.At <= windowEnd && m.At <= now).OrderBy(m => m.At).ToList();
        int failures = 0, withValue = 0, streak = 0;
        var failed = new List<long>();
        foreach (var measurement in taken)
        {
            if (measurement.Value is not { } value)
            {
                continue;
            }

            withValue++;
            if (rule.FailIf.Holds(value))
            {
                failures++;
                streak = 0;
                failed.Add(measurement.Sequence);
                if (failures > rule.FailureLimit)
                {
                    return new RuleOutcome(rule.Id, RuleState.Failed, measurement.At,
                        $"{failures} of {withValue} measurements {rule.FailIf} (limit {rule.FailureLimit}); the last was {Number(value)}", taken, failed);
                }
            }
            else if (++streak >= rule.ConsecutiveSuccesses && rule.ConsecutiveSuccesses > 0)
            {
                return new RuleOutcome(rule.Id, RuleState.Passed, measurement.At,
                    $"passed: {streak} measurements in a row not {rule.FailIf} ({failures} failed, limit {rule.FailureLimit})", taken, [measurement.Sequence]);
            }
        }

        if (now < windowEnd)
        {
            return new RuleOutcome(rule.Id, RuleState.Running, now,
                $"measuring every {Durations.Format(rule.Interval)}: {withValue} measurement{(withValue == 1 ? "" : "s")} so far, {failures} {rule.FailIf}", taken, failed);
        }

        if (withValue >= rule.MinSamples)
        {
            return new RuleOutcome(rule.Id, RuleState.Passed, windowEnd,
                $"passed: {failures} of {withValue} measurements {rule.FailIf} (limit {rule.FailureLimit})", taken, [.. taken.Select(m => m.Sequence)]);
        }

        var why = taken.LastOrDefault(m => m.Value is null)?.NoDataReason;
        var noData = $"no data: {withValue} of the {rule.MinSamples} measurements needed had a value{(why is null ? "" : $" (last: {why})")}";
        var state = rule.NoData switch
        {
            NoDataPolicy.Pass => RuleState.Passed,
            NoDataPolicy.Fail => RuleState.Failed,
            _ => RuleState.Inconclusive,
        };
        var policy = rule.NoData switch
        {
            NoDataPolicy.Pass => "the rule's no-data policy is 'pass'",
            NoDataPolicy.Fail => "the rule's no-data policy is 'fail'",
            _ => "no data proves nothing either way, so the verdict is inconclusive (set no-data: pass or fail to decide otherwise)",
        };
        return new RuleOutcome(rule.Id, state, windowEnd, $"{noData}; {policy}", taken, [.. taken.Select(m => m.Sequence)]);
    }

    /// <summary>When each measurement of <paramref name="rule"/> is due: every interval from the window's start, the last at or
    /// before its end (the first one interval after the deployment).</summary>
    public static IEnumerable<DateTimeOffset> DueTimes(MetricRule rule, DateTimeOffset windowStart, DateTimeOffset windowEnd)
    {
        ArgumentNullException.ThrowIfNull(rule);
        for (var at = windowStart + rule.Interval; at <= windowEnd; at += rule.Interval)
        {
            yield return at;
        }
    }

    private static string Number(double value) => value.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture);
}
