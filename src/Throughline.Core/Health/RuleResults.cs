namespace Throughline.Health;

/// <summary>A metric rule's verdict for one deployment, with the stored events behind it.</summary>
/// <param name="Rule">The rule's id.</param>
/// <param name="Outcome">What it means for the deployment (<see cref="RuleOutcome"/>).</param>
/// <param name="State">How the judge got there: running, decided by the measurements (passed, failed), or short of data.</param>
/// <param name="At">Since when: the measurement that decided it, the window's end for no data, or the time asked about while it runs.</param>
/// <param name="Reason">Why, with the counts (<see cref="RuleVerdict.Reason"/>).</param>
/// <param name="Measurements">Every measurement stored so far, in time order.</param>
/// <param name="Evidence">The stored events of the measurements the verdict rests on.</param>
public sealed record RuleResult(string Rule, RuleOutcome Outcome, RuleState State, DateTimeOffset At, string Reason, IReadOnlyList<Measurement> Measurements, IReadOnlyList<long> Evidence);

/// <summary>A metric rule's stored measurements judged by <see cref="MetricRuleJudge"/>, the one judge.</summary>
public static class RuleResults
{
    /// <summary>The verdict of <paramref name="rule"/> at <paramref name="now"/> from its stored measurements, each with its event.</summary>
    public static RuleResult Of(
        Model.MetricRule rule, DateTimeOffset windowStart, DateTimeOffset windowEnd, DateTimeOffset now, IReadOnlyList<(Measurement Measurement, long Sequence)> stored)
    {
        var measurements = stored.Select(s => s.Measurement).OrderBy(m => m.At).ToList();
        var verdict = MetricRuleJudge.Judge(rule, windowStart, windowEnd, now, measurements);
        var evidence = verdict.Evidence.Select(m => m.At).ToHashSet();
        var at = verdict.State switch
        {
            RuleState.Running => now,
            RuleState.NoData => windowEnd,
            _ => verdict.Evidence.Count > 0 ? verdict.Evidence.Max(m => m.At) : windowEnd,
        };
        return new RuleResult(rule.Id, verdict.Outcome, verdict.State, at, verdict.Reason, measurements,
            [.. stored.Where(s => evidence.Contains(s.Measurement.At)).Select(s => s.Sequence).Distinct()]);
    }

    /// <summary>An outcome as the API and the pages write it.</summary>
    public static string Name(RuleOutcome outcome) => outcome switch
    {
        RuleOutcome.Undecided => "running",
        RuleOutcome.Passed => "passed",
        RuleOutcome.Failed => "failed",
        _ => "inconclusive",
    };
}
