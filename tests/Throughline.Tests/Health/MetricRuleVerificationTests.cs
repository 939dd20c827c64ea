using Throughline.Health;
using Throughline.Model;
using Throughline.Tests.Support;

namespace Throughline.Tests.Health;

/// <summary>
/// Metric rules judged from real measurements: a real Prometheus scrapes an exporter the test controls every second, and the
/// rule is measured at its due times (intervals of a fraction of a second) as the verification service does.
/// </summary>
public sealed class MetricRuleVerificationTests(PrometheusFixture fixture) : IDisposable
{
    private const string Query = "max(error_ratio{service=\"{service}\", environment=\"{environment}\"})";

    /// <summary>Longer than any test's work; a loop still running then is a bug, not a slow machine.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static DateTimeOffset Now => TimeProvider.System.GetUtcNow();

    private static string Series(string service) => $"error_ratio{{service=\"{service}\",environment=\"production\"}}";

    private static MetricRule Rule(
        int intervalMilliseconds, int failureLimit = 0, int consecutiveSuccesses = 0, int minSamples = 1,
        NoDataPolicy noData = NoDataPolicy.Inconclusive, string query = Query) =>
        new("error-rate", query, TimeSpan.FromMilliseconds(intervalMilliseconds), MetricCondition.Parse("> 0.02")!, failureLimit, consecutiveSuccesses, minSamples, noData);

    /// <summary>
    /// What the verification service does for one rule of a deployment of <paramref name="service"/> to production: judge;
    /// measure the first unmeasured due time at its own time; or wait for the next due time; until the rule is decided.
    /// </summary>
    private async Task<RuleVerdict> VerifyAsync(
        PrometheusServer prometheus, MetricRule rule, string service, DateTimeOffset start, DateTimeOffset end, List<Measurement> measurements)
    {
        var client = new PrometheusClient(_http);
        var giveUp = Now + Patience;
        while (Now < giveUp)
        {
            var now = Now;
            var verdict = MetricRuleJudge.Judge(rule, start, end, now, measurements);
            if (verdict.IsDecided)
            {
                return verdict;
            }

            if (MetricRuleJudge.Unmeasured(rule, start, end, now, measurements) is [var due, ..])
            {
                measurements.Add(await client.MeasureAsync(prometheus.Address, rule, service, "production", due, Cancel));
            }
            else
            {
                await Task.Delay(TimeSpan.FromTicks(Math.Max(0, (verdict.NextDue!.Value - now).Ticks)), TimeProvider.System, Cancel);
            }
        }

        Assert.Fail($"rule {rule.Id} still running after {Patience.TotalSeconds} s; measured: {string.Join(", ", measurements)}");
        throw new InvalidOperationException("unreachable");
    }

    [Fact]
    public async Task Rule_GaugeBelowThreshold_PassesEarlyAfterConsecutiveSuccesses()
    {
        var prometheus = await fixture.ServerAsync();
        var deployed = await prometheus.SetAsync(Series("steady"), 0.01);
        var rule = Rule(intervalMilliseconds: 400, consecutiveSuccesses: 3);
        List<Measurement> measurements = [];

        var verdict = await VerifyAsync(prometheus, rule, "steady", deployed, deployed.AddMinutes(30), measurements);

        Assert.Equal(RuleState.Passed, verdict.State);
        Assert.Equal(RuleOutcome.Passed, verdict.Outcome);
        Assert.Equal("passed early: 3 measurements in a row <= 0.02 (consecutive-successes 3)", verdict.Reason);
        Assert.Equal(MetricRuleJudge.DueTimes(rule, deployed, deployed.AddMinutes(30)).Take(3), verdict.Evidence.Select(m => m.At));
        Assert.All(verdict.Evidence, m => Assert.Equal(0.01, m.Value));
    }

    [Fact]
    public async Task Rule_GaugeBelowThreshold_PassesAtTheWindowsEnd()
    {
        var prometheus = await fixture.ServerAsync();
        var deployed = await prometheus.SetAsync(Series("quiet"), 0.02);
        var rule = Rule(intervalMilliseconds: 400, minSamples: 3);

        var verdict = await VerifyAsync(prometheus, rule, "quiet", deployed, deployed.AddMilliseconds(1200), []);

        Assert.Equal(RuleState.Passed, verdict.State);
        Assert.Equal("0 of 3 measurements > 0.02 (failure limit 0); 3 with a value (min-samples 3)", verdict.Reason);
    }

    [Fact]
    public async Task Rule_GaugeAboveThreshold_FailsOnceFailuresExceedTheLimit()
    {
        var prometheus = await fixture.ServerAsync();
        var deployed = await prometheus.SetAsync(Series("broken"), 0.05);
        var rule = Rule(intervalMilliseconds: 400, failureLimit: 1);

        var verdict = await VerifyAsync(prometheus, rule, "broken", deployed, deployed.AddMinutes(30), []);

        Assert.Equal(RuleState.Failed, verdict.State);
        Assert.Equal(RuleOutcome.Failed, verdict.Outcome);
        Assert.StartsWith("2 of 2 measurements > 0.02 (failure limit 1); latest 0.05 at ", verdict.Reason, StringComparison.Ordinal);
        Assert.Equal(2, verdict.Evidence.Count);
    }

    [Theory]
    [InlineData(NoDataPolicy.Inconclusive, RuleOutcome.Inconclusive, "inconclusive")]
    [InlineData(NoDataPolicy.Fail, RuleOutcome.Failed, "fail")]
    [InlineData(NoDataPolicy.Pass, RuleOutcome.Passed, "pass")]
    public async Task Rule_SeriesThatDoesNotExist_IsNoData_DecidedByThePolicy(NoDataPolicy policy, RuleOutcome outcome, string word)
    {
        var prometheus = await fixture.ServerAsync();
        var deployed = Now;
        var rule = Rule(intervalMilliseconds: 300, minSamples: 2, noData: policy);

        var verdict = await VerifyAsync(prometheus, rule, "never-deployed", deployed, deployed.AddMilliseconds(900), []);

        Assert.Equal(RuleState.NoData, verdict.State);
        Assert.Equal(outcome, verdict.Outcome);
        Assert.Equal(
            "no data: 0 of 2 samples with a value (min-samples 2); 3 empty, 0 errors; latest: Prometheus at "
            + $"{prometheus.Address}/api/v1/query returned no series for "
            + "max(error_ratio{service=\"never-deployed\", environment=\"production\"}); "
            + $"no-data: {word}",
            verdict.Reason);
        Assert.Equal(3, verdict.Evidence.Count);
    }

    [Fact]
    public async Task Rule_QueryPrometheusRefuses_IsNoDataNamingPrometheusError()
    {
        var prometheus = await fixture.ServerAsync();
        var deployed = Now;
        var rule = Rule(intervalMilliseconds: 300, query: "max(error_ratio{service=\"{service}\"}");

        var verdict = await VerifyAsync(prometheus, rule, "payments", deployed, deployed.AddMilliseconds(600), []);

        Assert.Equal(RuleState.NoData, verdict.State);
        Assert.Equal(RuleOutcome.Inconclusive, verdict.Outcome);
        Assert.StartsWith("no data: 0 of 1 sample with a value (min-samples 1); 0 empty, 2 errors; latest: Prometheus at ", verdict.Reason, StringComparison.Ordinal);
        Assert.Contains("answered an error (bad_data): invalid parameter \"query\": ", verdict.Reason, StringComparison.Ordinal);
        Assert.All(verdict.Evidence, m => Assert.True(m.IsError));
    }

    [Fact]
    public async Task Rule_Flapping_FailsOnceFailuresExceedTheLimit()
    {
        var prometheus = await fixture.ServerAsync();
        var client = new PrometheusClient(_http);
        var rule = Rule(intervalMilliseconds: 1000, failureLimit: 1, consecutiveSuccesses: 2);
        List<DateTimeOffset> instants = [];
        foreach (var value in (double[])[0.01, 0.05, 0.01, 0.05, 0.01])
        {
            instants.Add(await prometheus.SetAsync(Series("flapping"), value));
        }

        List<Measurement> measurements = [];
        foreach (var at in instants)
        {
            measurements.Add(await client.MeasureAsync(prometheus.Address, rule, "flapping", "production", at, Cancel));
        }

        var verdict = MetricRuleJudge.Judge(rule, instants[0].AddSeconds(-1), instants[0].AddMinutes(30), Now, measurements);

        Assert.Equal([0.01, 0.05, 0.01, 0.05, 0.01], measurements.Select(m => m.Value));
        Assert.Equal(RuleState.Failed, verdict.State);
        Assert.StartsWith("2 of 4 measurements > 0.02 (failure limit 1); latest 0.05 at ", verdict.Reason, StringComparison.Ordinal);
        Assert.Equal([instants[1], instants[3]], verdict.Evidence.Select(m => m.At));
    }

    [Fact]
    public async Task Rule_ServiceDownAtADueTime_MeasuresItLaterAtItsOwnTime_NotWithTheCurrentValue()
    {
        var prometheus = await fixture.ServerAsync();
        var deployed = await prometheus.SetAsync(Series("restarted"), 0.01);
        var rule = Rule(intervalMilliseconds: 2000);
        var end = deployed.AddSeconds(6);
        var firstDue = deployed.AddSeconds(2);
        await Task.Delay(firstDue.AddMilliseconds(200) - Now, TimeProvider.System, Cancel); // the service is down past its first due time
        var degraded = await prometheus.SetAsync(Series("restarted"), 0.05);
        var missed = MetricRuleJudge.Unmeasured(rule, deployed, end, Now, []);
        List<Measurement> measurements = [];

        var verdict = await VerifyAsync(prometheus, rule, "restarted", deployed, end, measurements);

        Assert.True(degraded > firstDue, $"the gauge changed at {degraded:O}, before the first due time {firstDue:O}");
        Assert.Equal(firstDue, missed[0]);
        Assert.Equal(Measurement.Of(firstDue, 0.01), measurements[0]);
        Assert.Equal(RuleState.Failed, verdict.State);
        Assert.Matches(@"^1 of [23] measurements > 0\.02 \(failure limit 0\); latest 0\.05 at ", verdict.Reason);
    }

    public void Dispose() => _http.Dispose();
}
