using Throughline.Model;

namespace Throughline.Health;

/// <summary>Judges a metric rule from its measurements during a deployment's verification window. Pure: no I/O, no clock.</summary>
/// <remarks>
/// <para>The rule, in the shape Argo Rollouts' analysis, Flagger and Keptn share. The query is due every
/// <see cref="MetricRule.Interval"/> after the window's start, the first one interval in (an instant at the deployment itself
/// would measure the version before it), the last at or before the window's end (both bounds inclusive). Measurements are
/// judged in time order, one per instant (the first given wins: a measurement stored twice counts once); measurements outside
/// the window are ignored.</para>
/// <list type="number">
/// <item>A measurement with a value fails when <see cref="MetricRule.FailIf"/> holds for it, and passes otherwise. A measurement
/// without a value (empty, NaN, infinite, or an error) neither passes nor fails.</item>
/// <item>The rule fails at the first failed measurement that makes the failures exceed <see cref="MetricRule.FailureLimit"/>.
/// Flapping (pass, fail, pass, fail...) therefore fails once the failures add up past the limit.</item>
/// <item>When <see cref="MetricRule.ConsecutiveSuccesses"/> is above 0, the rule passes early at the measurement that completes
/// that many passing measurements in a row, provided <see cref="MetricRule.MinSamples"/> measurements had a value by then. A
/// failed measurement or one without a value starts the count again.</item>
/// <item>Otherwise the rule runs until the window's end, and a little past it (one interval) while a due time is still not
/// measured, so a late last measurement is waited for. Then it passes when it had at least
/// <see cref="MetricRule.MinSamples"/> measurements with a value, and is no data otherwise: its
/// <see cref="MetricRule.NoData"/> policy decides the outcome (inconclusive by default).</item>
/// </list>
/// <para>The first decision stands: measurements after it do not change the verdict, so it is stable however often it is asked.</para>
/// <para>Resuming after a restart: measure exactly the <see cref="Unmeasured"/> due times, each at its own due time (Prometheus'
/// <c>time=</c>), so nothing is measured twice and a missed one gets the value it had then, never the current one. That holds
/// while the due time is within Prometheus' retention (15 days by default, far longer than a verification window); beyond
/// it the answer is empty and counts as no data.</para>
/// </remarks>
public static partial class MetricRuleJudge
{
    /// <summary>The rule's verdict at <paramref name="now"/> from the measurements taken so far.</summary>
    /// <param name="rule">The rule.</param>
    /// <param name="windowStart">When the verification window began (the deployment's time).</param>
    /// <param name="windowEnd">When it ends (inclusive).</param>
    /// <param name="now">The current time, which only decides whether the window is over.</param>
    /// <param name="measurements">The measurements taken so far, in any order.</param>
    public static RuleVerdict Judge(
        MetricRule rule, DateTimeOffset windowStart, DateTimeOffset windowEnd, DateTimeOffset now, IReadOnlyList<Measurement> measurements)
    {
        CheckWindow(rule, windowStart, windowEnd);
        ArgumentNullException.ThrowIfNull(measurements);
        var judged = measurements.Where(m => m.At >= windowStart && m.At <= windowEnd).DistinctBy(m => m.At).OrderBy(m => m.At).ToList();
        var tally = new Tally(rule);
        foreach (var measurement in judged)
        {
            tally.Add(measurement);
            if (tally.Failures.Count > rule.FailureLimit)
            {
                return Decided(rule, RuleState.Failed, FailedReason(tally), tally.Failures);
            }

            if (rule.ConsecutiveSuccesses > 0 && tally.Run.Count >= rule.ConsecutiveSuccesses && tally.Valued.Count >= rule.MinSamples)
            {
                return Decided(rule, RuleState.Passed, PassedEarlyReason(tally), tally.Run);
            }
        }

        var measured = judged.Select(m => m.At).ToHashSet();
        var next = DueTimes(rule, windowStart, windowEnd).Where(due => !measured.Contains(due)).Select(due => (DateTimeOffset?)due).FirstOrDefault();
        if (now < windowEnd || (next is not null && now < windowEnd + rule.Interval))
        {
            var nextDue = next ?? windowEnd;
            return new RuleVerdict(rule.Id, RuleState.Running, RuleOutcome.Undecided, RunningReason(tally, nextDue), nextDue, [.. tally.Failures]);
        }

        if (tally.Valued.Count >= rule.MinSamples)
        {
            return Decided(rule, RuleState.Passed, PassedAtEndReason(tally), tally.Valued);
        }

        var missing = DueCount(rule, windowStart, windowEnd) - measured.Count(at => IsDue(rule, windowStart, at));
        var outcome = rule.NoData switch
        {
            NoDataPolicy.Pass => RuleOutcome.Passed,
            NoDataPolicy.Fail => RuleOutcome.Failed,
            _ => RuleOutcome.Inconclusive,
        };
        return new RuleVerdict(rule.Id, RuleState.NoData, outcome, NoDataReason(tally, missing), null, [.. tally.Without]);
    }

    /// <summary>The instants the rule's query is due in the window: every interval after its start, up to its end.</summary>
    /// <param name="rule">The rule, whose <see cref="MetricRule.Interval"/> spaces the instants.</param>
    /// <param name="windowStart">When the window began; not itself due.</param>
    /// <param name="windowEnd">When it ends; due when an interval lands on it exactly.</param>
    /// <returns><c>start + interval</c>, <c>start + 2 × interval</c>, ... while at or before <paramref name="windowEnd"/>, lazily.</returns>
    public static IEnumerable<DateTimeOffset> DueTimes(MetricRule rule, DateTimeOffset windowStart, DateTimeOffset windowEnd)
    {
        CheckWindow(rule, windowStart, windowEnd);
        return Enumerate(rule.Interval.Ticks, windowStart, windowEnd);

        static IEnumerable<DateTimeOffset> Enumerate(long interval, DateTimeOffset start, DateTimeOffset end)
        {
            for (var due = start.AddTicks(interval); due <= end; due = due.AddTicks(interval))
            {
                yield return due;
            }
        }
    }

    /// <summary>
    /// The due times at or before <paramref name="now"/> that have no measurement yet, in order: what a service that starts (or
    /// restarts) mid-window measures, each at its own due time, before it waits for the next.
    /// </summary>
    /// <param name="rule">The rule.</param>
    /// <param name="windowStart">When the window began.</param>
    /// <param name="windowEnd">When it ends (inclusive).</param>
    /// <param name="now">The current time; later due times are not due yet.</param>
    /// <param name="measurements">The measurements already taken (a measurement counts for the due time equal to its <see cref="Measurement.At"/>).</param>
    /// <remarks>Ask <see cref="Judge"/> first, and again after each measurement: once the rule is decided nothing more is due.</remarks>
    public static IReadOnlyList<DateTimeOffset> Unmeasured(
        MetricRule rule, DateTimeOffset windowStart, DateTimeOffset windowEnd, DateTimeOffset now, IReadOnlyList<Measurement> measurements)
    {
        ArgumentNullException.ThrowIfNull(measurements);
        var measured = measurements.Select(m => m.At).ToHashSet();
        return [.. DueTimes(rule, windowStart, windowEnd).TakeWhile(due => due <= now).Where(due => !measured.Contains(due))];
    }

    private static void CheckWindow(MetricRule rule, DateTimeOffset windowStart, DateTimeOffset windowEnd)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(rule.Interval, TimeSpan.Zero, nameof(rule));
        if (windowEnd < windowStart)
        {
            throw new ArgumentException($"the window ends ({windowEnd:O}) before it starts ({windowStart:O})", nameof(windowEnd));
        }
    }

    private static long DueCount(MetricRule rule, DateTimeOffset windowStart, DateTimeOffset windowEnd) =>
        (windowEnd - windowStart).Ticks / rule.Interval.Ticks;

    private static bool IsDue(MetricRule rule, DateTimeOffset windowStart, DateTimeOffset at) =>
        at > windowStart && (at - windowStart).Ticks % rule.Interval.Ticks == 0;

    private static RuleVerdict Decided(MetricRule rule, RuleState state, string reason, IReadOnlyList<Measurement> evidence) =>
        new(rule.Id, state, state == RuleState.Failed ? RuleOutcome.Failed : RuleOutcome.Passed, reason, null, [.. evidence]);

    /// <summary>The measurements judged so far, sorted into what the rule counts.</summary>
    /// <summary>Whether a measurement of <paramref name="value"/> fails <paramref name="rule"/>: its condition holds, or the rule has a
    /// baseline and the value is more than that many times the previous deployment's (<paramref name="baseline"/>).</summary>
    public static bool Fails(MetricRule rule, double value, double? baseline)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return rule.FailIf.Holds(value) || (rule.Baseline is { } times && baseline is { } before && value > before * times);
    }

    private sealed class Tally(MetricRule rule)
    {
        public MetricRule Rule { get; } = rule;

        public int Count { get; private set; }

        public List<Measurement> Failures { get; } = [];

        /// <summary>The passing measurements in a row up to the latest.</summary>
        public List<Measurement> Run { get; } = [];

        public List<Measurement> Valued { get; } = [];

        public List<Measurement> Without { get; } = [];

        public void Add(Measurement measurement)
        {
            Count++;
            if (measurement.Value is not { } value)
            {
                Without.Add(measurement);
                Run.Clear();
                return;
            }

            Valued.Add(measurement);
            if (Fails(Rule, value, measurement.Baseline))
            {
                Failures.Add(measurement);
                Run.Clear();
            }
            else
            {
                Run.Add(measurement);
            }
        }
    }
}
