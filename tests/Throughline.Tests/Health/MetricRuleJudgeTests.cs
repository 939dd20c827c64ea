using Throughline.Health;
using Throughline.Model;

namespace Throughline.Tests.Health;

public sealed class MetricRuleJudgeTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 20, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset End = Start.AddMinutes(5);

    private static MetricRule Rule(
        string failIf = "> 0.02", int failureLimit = 0, int consecutiveSuccesses = 0, int minSamples = 1, NoDataPolicy noData = NoDataPolicy.Inconclusive) =>
        new("error-rate", "error_ratio", TimeSpan.FromMinutes(1), MetricCondition.Parse(failIf)!, failureLimit, consecutiveSuccesses, minSamples, noData);

    /// <summary>One measurement per minute from 10:01; null is an empty answer.</summary>
    private static List<Measurement> Minutes(params double?[] values) =>
        [.. values.Select((v, i) => v is { } value ? Measurement.Of(Start.AddMinutes(i + 1), value) : Measurement.Empty(Start.AddMinutes(i + 1), "no series"))];

    private static DateTimeOffset At(int minutes, int seconds = 0) => Start.AddMinutes(minutes).AddSeconds(seconds);

    [Fact]
    public void DueTimes_EveryIntervalAfterTheStart_UpToTheEndInclusive()
    {
        var exact = MetricRuleJudge.DueTimes(Rule(), Start, End);
        var between = MetricRuleJudge.DueTimes(Rule(), Start, End.AddSeconds(30));

        Assert.Equal([At(1), At(2), At(3), At(4), At(5)], exact);
        Assert.Equal(exact, between);
    }

    [Fact]
    public void DueTimes_WindowEndingBeforeItStarts_Throws()
    {
        Assert.Throws<ArgumentException>(() => MetricRuleJudge.DueTimes(Rule(), End, Start));
    }

    [Fact]
    public void Judge_FailuresExceedTheLimit_FailsAtThatMeasurement()
    {
        var verdict = MetricRuleJudge.Judge(Rule(failureLimit: 1), Start, End, At(4), Minutes(0.01, 0.05, 0.01, 0.05));

        Assert.Equal(RuleState.Failed, verdict.State);
        Assert.Equal(RuleOutcome.Failed, verdict.Outcome);
        Assert.Equal("2 of 4 measurements > 0.02 (failure limit 1); latest 0.05 at 10:04:00Z", verdict.Reason);
        Assert.Equal([At(2), At(4)], verdict.Evidence.Select(m => m.At));
        Assert.Null(verdict.NextDue);
    }

    [Fact]
    public void Judge_WithABaseline_AValueTooFarAboveThePreviousDeploymentsFails_EvenUnderTheCondition()
    {
        var rule = Rule(failIf: "> 0.1") with { Baseline = 1.5 };
        List<Measurement> measured = [Measurement.Of(At(1), 0.01) with { Baseline = 0.01 }, Measurement.Of(At(2), 0.04) with { Baseline = 0.02 }];

        var verdict = MetricRuleJudge.Judge(rule, Start, End, At(2), measured);
        var withoutBaseline = MetricRuleJudge.Judge(rule, Start, End, At(2), [.. measured.Select(m => m with { Baseline = null })]);

        Assert.Equal(RuleOutcome.Failed, verdict.Outcome);
        Assert.Equal("1 of 2 measurements > 0.1 or above 1.5 × the previous deployment's (failure limit 0); latest 0.04 at 10:02:00Z (the previous deployment's: 0.02)", verdict.Reason);
        Assert.Equal(RuleOutcome.Undecided, withoutBaseline.Outcome);
    }

    [Fact]
    public void Judge_FailuresWithinTheLimit_PassesAtTheWindowsEnd()
    {
        var verdict = MetricRuleJudge.Judge(Rule(failureLimit: 1), Start, End, End, Minutes(0.01, 0.05, 0.01, 0.01, 0.01));

        Assert.Equal(RuleState.Passed, verdict.State);
        Assert.Equal(RuleOutcome.Passed, verdict.Outcome);
        Assert.Equal("1 of 5 measurements > 0.02 (failure limit 1); 5 with a value (min-samples 1)", verdict.Reason);
        Assert.Equal(5, verdict.Evidence.Count);
    }

    [Fact]
    public void Judge_Flapping_NeverPassesEarly_AndFailsOnceFailuresExceedTheLimit()
    {
        var rule = Rule(failureLimit: 2, consecutiveSuccesses: 2);

        var verdict = MetricRuleJudge.Judge(rule, Start, Start.AddMinutes(30), At(6), Minutes(0.01, 0.05, 0.01, 0.05, 0.01, 0.05));

        Assert.Equal(RuleState.Failed, verdict.State);
        Assert.Equal("3 of 6 measurements > 0.02 (failure limit 2); latest 0.05 at 10:06:00Z", verdict.Reason);
    }

    [Fact]
    public void Judge_ConsecutiveSuccesses_PassesEarlyWithTheRunAsEvidence()
    {
        var rule = Rule(failureLimit: 1, consecutiveSuccesses: 3);

        var verdict = MetricRuleJudge.Judge(rule, Start, Start.AddMinutes(30), At(5), Minutes(0.01, 0.05, 0.01, 0.01, 0.01));

        Assert.Equal(RuleState.Passed, verdict.State);
        Assert.Equal("passed early: 3 measurements in a row <= 0.02 (consecutive-successes 3); 1 of 5 measurements > 0.02 (failure limit 1)", verdict.Reason);
        Assert.Equal([At(3), At(4), At(5)], verdict.Evidence.Select(m => m.At));
    }

    [Fact]
    public void Judge_ConsecutiveSuccessesBeforeMinSamples_PassesOnlyOnceMinSamplesHaveAValue()
    {
        var rule = Rule(consecutiveSuccesses: 2, minSamples: 3);

        var two = MetricRuleJudge.Judge(rule, Start, Start.AddMinutes(30), At(2), Minutes(0.01, 0.01));
        var three = MetricRuleJudge.Judge(rule, Start, Start.AddMinutes(30), At(3), Minutes(0.01, 0.01, 0.01));

        Assert.Equal(RuleState.Running, two.State);
        Assert.Equal(RuleState.Passed, three.State);
    }

    [Fact]
    public void Judge_MeasurementWithoutAValue_StartsTheRunAgain()
    {
        var rule = Rule(consecutiveSuccesses: 2);

        var interrupted = MetricRuleJudge.Judge(rule, Start, Start.AddMinutes(30), At(3), Minutes(0.01, null, 0.01));
        var resumed = MetricRuleJudge.Judge(rule, Start, Start.AddMinutes(30), At(4), Minutes(0.01, null, 0.01, 0.01));

        Assert.Equal(RuleState.Running, interrupted.State);
        Assert.Equal(RuleState.Passed, resumed.State);
    }

    [Fact]
    public void Judge_BeforeTheWindowsEnd_RunsWithTheNextDueTime()
    {
        var verdict = MetricRuleJudge.Judge(Rule(), Start, End, At(2, 30), Minutes(0.01, 0.01));

        Assert.Equal(RuleState.Running, verdict.State);
        Assert.Equal(RuleOutcome.Undecided, verdict.Outcome);
        Assert.Equal(At(3), verdict.NextDue);
        Assert.Equal("0 of 2 measurements > 0.02 (failure limit 0) so far; next due 10:03:00Z", verdict.Reason);
        Assert.Empty(verdict.Evidence);
    }

    [Fact]
    public void Judge_MissedDueTime_IsNextDueThoughInThePast()
    {
        var verdict = MetricRuleJudge.Judge(Rule(), Start, End, At(3, 30), Minutes(0.01));

        Assert.Equal(At(2), verdict.NextDue);
    }

    [Fact]
    public void Judge_LastDueTimeNotMeasured_WaitsOneIntervalPastTheEnd_ThenConcludes()
    {
        var rule = Rule(minSamples: 5);
        var measurements = Minutes(0.01, 0.01, 0.01, 0.01);

        var waiting = MetricRuleJudge.Judge(rule, Start, End, End.AddSeconds(30), measurements);
        var concluded = MetricRuleJudge.Judge(rule, Start, End, End.AddMinutes(1), measurements);

        Assert.Equal(RuleState.Running, waiting.State);
        Assert.Equal(End, waiting.NextDue);
        Assert.Equal(RuleState.NoData, concluded.State);
        Assert.Equal("no data: 4 of 5 samples with a value (min-samples 5); 0 empty, 0 errors, 1 due time not measured; no-data: inconclusive", concluded.Reason);
    }

    [Theory]
    [InlineData(NoDataPolicy.Inconclusive, RuleOutcome.Inconclusive, "inconclusive")]
    [InlineData(NoDataPolicy.Pass, RuleOutcome.Passed, "pass")]
    [InlineData(NoDataPolicy.Fail, RuleOutcome.Failed, "fail")]
    public void Judge_FewerSamplesThanTheMinimum_IsNoDataDecidedByThePolicy(NoDataPolicy policy, RuleOutcome outcome, string word)
    {
        var measurements = Minutes(0.01, null, null, null);
        measurements.Add(Measurement.Failed(At(5), "Prometheus at http://prometheus:9090/api/v1/query could not be reached: Connection refused"));

        var verdict = MetricRuleJudge.Judge(Rule(minSamples: 3, noData: policy), Start, End, End, measurements);

        Assert.Equal(RuleState.NoData, verdict.State);
        Assert.Equal(outcome, verdict.Outcome);
        Assert.Equal(
            "no data: 1 of 3 samples with a value (min-samples 3); 3 empty, 1 error; "
            + $"latest: Prometheus at http://prometheus:9090/api/v1/query could not be reached: Connection refused; no-data: {word}",
            verdict.Reason);
        Assert.Equal(4, verdict.Evidence.Count);
    }

    [Fact]
    public void Judge_AfterADecision_LaterMeasurementsChangeNothing()
    {
        var failed = MetricRuleJudge.Judge(Rule(), Start, End, At(2), Minutes(0.01, 0.05));

        var later = MetricRuleJudge.Judge(Rule(), Start, End, End, Minutes(0.01, 0.05, 0.01, 0.01, 0.01));

        Assert.Equal(failed, later with { Evidence = failed.Evidence });
        Assert.Equal(failed.Evidence, later.Evidence);
    }

    [Fact]
    public void Judge_SameInstantTwice_CountsOnce_AndOutsideTheWindowNotAtAll()
    {
        var measurements = Minutes(0.05);
        measurements.Add(Measurement.Of(At(1), 0.07));
        measurements.Add(Measurement.Of(At(-1), 0.05));
        measurements.Add(Measurement.Of(At(6), 0.05));

        var verdict = MetricRuleJudge.Judge(Rule(failureLimit: 1), Start, End, At(1), measurements);

        Assert.Equal(RuleState.Running, verdict.State);
        Assert.Equal(0.05, Assert.Single(verdict.Evidence).Value);
    }

    [Fact]
    public void Judge_LowerBoundCondition_FailsBelowIt_AndStatesTheOppositeWhenPassing()
    {
        var rule = Rule(failIf: "< 10", consecutiveSuccesses: 2);

        var failed = MetricRuleJudge.Judge(rule, Start, End, At(1), Minutes(5));
        var passed = MetricRuleJudge.Judge(rule, Start, End, At(2), Minutes(12, 15));

        Assert.Equal(RuleState.Failed, failed.State);
        Assert.Equal("passed early: 2 measurements in a row >= 10 (consecutive-successes 2)", passed.Reason);
    }

    [Fact]
    public void Unmeasured_AfterARestart_ListsOnlyTheMissedDueTimesUpToNow()
    {
        List<Measurement> taken = [Measurement.Of(At(1), 0.01), Measurement.Of(At(3), 0.01)];

        var due = MetricRuleJudge.Unmeasured(Rule(), Start, End, At(4, 10), taken);

        Assert.Equal([At(2), At(4)], due);
    }

    [Fact]
    public void Measurement_NotFinite_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Measurement.Of(Start, double.NaN));
    }
}
