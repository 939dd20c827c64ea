using Throughline.Model;

namespace Throughline.Tests.Model;

public sealed partial class OperatingModelLoaderTests
{
    // Appended to ModelText.Minimal by WithHealth, so 'health:' is line 23.
    private const string HealthFields = """
        health:
          signals:
            incidents: true
            alerts: false
            checks: [smoke-tests]
            metrics:
              prometheus: http://prometheus:9090
              rules:
                - id: error-rate
                  query: sum(rate(errors[5m]))
                  interval: 1m
                  fail-if: "> 0.02"
                  failure-limit: 1
                  min-samples: 3
                  no-data: inconclusive
          rollback:
            owner: responsibilities.deploy-production
            notify:
              roles: [responsibilities.deploy-production, web]
              webhook: https://hooks.chat.example/T0/B0
              format: json
            action:
              webhook: https://deploy.example/{service}/rollback
              timeout: 10s
              retries: 3
              allow-hosts: [deploy.example]
        """;

    private static ModelLoadResult WithHealth(string oldText = "", string newText = "")
    {
        Assert.Contains(oldText, HealthFields, StringComparison.Ordinal);
        return ModelText.Load(ModelText.Minimal + "\n" + (oldText.Length == 0 ? HealthFields : HealthFields.Replace(oldText, newText, StringComparison.Ordinal)));
    }

    [Fact]
    public void LoadFile_SharedExample_WarnsOfEachFieldNotUsedYetWhereItIs()
    {
        var result = LoadExample();

        // The test copy has one line more than docs/examples/throughline.yaml: its provenance comment.
        Assert.Equal(
            [
                (81, 7, "responsibility 'approve-production' accepted, not used yet"),
                (84, 3, "responsibility 'approve-production' accepted, not used yet"),
                (86, 3, "responsibility 'monitor' accepted, not used yet"),
                (94, 5, "'tool' of stage 'review' accepted, not used yet"),
                (99, 5, "'tool' of stage 'build' accepted, not used yet"),
                (100, 5, "'automated' of stage 'build' accepted, not used yet"),
                (107, 5, "'tool' of stage 'staging' accepted, not used yet"),
                (108, 5, "'automated' of stage 'staging' accepted, not used yet"),
                (113, 5, "'tool' of stage 'qa-signoff' accepted, not used yet"),
                (114, 5, "'automated' of stage 'qa-signoff' accepted, not used yet"),
                (120, 5, "'tool' of stage 'production' accepted, not used yet"),
            ],
            result.Problems.Where(p => p.Message.Contains("accepted, not used yet", StringComparison.Ordinal))
                .Select(p => (p.Line, p.Column, p.Message[..p.Message.IndexOf(" (", StringComparison.Ordinal)])));
    }

    [Fact]
    public void LoadText_EveryHealthField_IsReadIntoTheModel_WithoutAWarning()
    {
        var result = WithHealth();

        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        Assert.DoesNotContain(result.Problems, p => p.Message.Contains("'health.", StringComparison.Ordinal));
        var health = result.Model!.Health;
        Assert.Equal((true, false), (health.Signals.Incidents, health.Signals.Alerts));
        Assert.Equal(["smoke-tests"], health.Signals.Checks);
        Assert.Equal("http://prometheus:9090", health.Signals.Metrics!.Prometheus);
        Assert.Equal(
            new MetricRule("error-rate", "sum(rate(errors[5m]))", TimeSpan.FromMinutes(1), new MetricCondition(">", 0.02), 1, 0, 3, NoDataPolicy.Inconclusive),
            Assert.Single(health.Signals.Metrics.Rules));
        var notify = health.Rollback!.Notify!;
        Assert.Equal(("https://hooks.chat.example/T0/B0", NotifyFormat.Json), (notify.Webhook, notify.Format));
        Assert.Equal(["responsibilities.deploy-production", "web"], notify.Roles.Select(r => r.ToString()));
        var action = health.Rollback.Action!;
        Assert.Equal(("https://deploy.example/{service}/rollback", TimeSpan.FromSeconds(10), 3), (action.Webhook, action.Timeout, action.Retries));
        Assert.Equal(["deploy.example"], action.AllowHosts);
    }

    [Fact]
    public void LoadText_HealthFieldsLeftOut_TakeTheDocumentedDefaults()
    {
        var result = ModelText.Load(ModelText.Minimal + "\nhealth:\n  signals:\n    metrics:\n      prometheus: http://p:9090\n      rules:\n        - {id: up, query: up, fail-if: \"< 1\"}\n");

        var rule = Assert.Single(result.Model!.Health.Signals.Metrics!.Rules);
        Assert.Equal((TimeSpan.FromMinutes(1), 0, 0, 1, NoDataPolicy.Inconclusive), (rule.Interval, rule.FailureLimit, rule.ConsecutiveSuccesses, rule.MinSamples, rule.NoData));
        Assert.Equal(HealthSignals.Default, ModelText.Load(ModelText.Minimal).Model!.Health.Signals);
    }

    [Theory]
    [InlineData("1.5", 1.5, null)]
    [InlineData("0", null, "'baseline' in rule 'error-rate' of 'health.signals.metrics' is '0' (expected a positive number")]
    [InlineData("twice", null, "'baseline' in rule 'error-rate' of 'health.signals.metrics' is 'twice' (expected a positive number")]
    public void LoadText_RuleBaseline_IsAPositiveRatio(string written, double? read, string? error)
    {
        var result = WithHealth("no-data: inconclusive", $"no-data: inconclusive\n          baseline: {written}");

        if (error is null)
        {
            Assert.Equal(read, Assert.Single(result.Model!.Health.Signals.Metrics!.Rules).Baseline);
        }
        else
        {
            Assert.Contains(error, Assert.Single(result.Errors()).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void LoadText_MisspeltKeyInsideSignals_IsStillAnError()
    {
        var result = WithHealth("alerts: false", "alrets: false");

        result.SingleError(26, 5, "unknown key 'alrets' in 'health.signals'", "did you mean 'alerts'?");
    }

    [Fact]
    public void LoadText_MisspeltKeyInARule_IsStillAnError()
    {
        var result = WithHealth("min-samples:", "min-sample:");

        result.SingleError(36, 11, "unknown key 'min-sample' in rule 'error-rate' of 'health.signals.metrics'", "did you mean 'min-samples'?");
    }

    [Theory]
    [InlineData("fail-if: \"> 0.02\"", "fail-if: above two", 34, "invalid condition 'above two' for 'fail-if'")]
    [InlineData("failure-limit: 1", "failure-limit: -1", 35, "'failure-limit' in rule 'error-rate' of 'health.signals.metrics' is '-1' (expected a whole number, 0 or more)")]
    [InlineData("no-data: inconclusive", "no-data: inconclusve", 37, "unknown value 'inconclusve' for 'no-data'")]
    [InlineData("interval: 1m", "interval: 1 minute", 33, "invalid duration '1 minute' for 'interval'")]
    [InlineData("prometheus: http://prometheus:9090", "prometheus: prometheus:9090", 29, "'prometheus' in 'health.signals.metrics' is 'prometheus:9090' (expected an absolute http or https URL)")]
    [InlineData("format: json", "format: teams", 43, "unknown value 'teams' for 'format' in 'health.rollback.notify' (expected one of: slack, json)")]
    [InlineData("retries: 3", "retries: many", 47, "'retries' in 'health.rollback.action' is 'many'")]
    [InlineData("timeout: 10s", "timeout: 10", 46, "invalid duration '10' for 'timeout'")]
    [InlineData("alerts: false", "alerts: maybe", 26, "'alerts' in 'health.signals' is 'maybe' (expected true or false)")]
    public void LoadText_BadValueOfAHealthField_IsAnError(string oldText, string newText, int line, string message)
    {
        var result = WithHealth(oldText, newText);

        var error = Assert.Single(result.Errors());
        Assert.Equal(line, error.Line);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_NotifyRoleNamingNoTeamOrResponsibility_IsError()
    {
        var result = WithHealth("responsibilities.deploy-production, web]", "responsibilities.deploy-production, wbe]");

        var error = Assert.Single(result.Errors());
        Assert.Equal(41, error.Line);
        Assert.Contains("unknown team 'wbe' in 'health.rollback.notify'", error.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'web'?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TestCopyOfTheExample_IsTheDocumentedExample()
    {
        var copy = File.ReadAllLines(ExamplePath);
        var documented = File.ReadAllLines(Support.RepositoryFiles.PathOf("docs/examples/throughline.yaml"));

        Assert.StartsWith("# Copied from", copy[0], StringComparison.Ordinal);
        Assert.Equal(documented, copy[1..]);
    }
}
