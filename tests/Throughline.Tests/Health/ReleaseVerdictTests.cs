using Throughline.Board;
using Throughline.Health;
using Throughline.Metrics;
using Throughline.Model;
using Throughline.Tests.Timeline;
using Throughline.Timeline;

namespace Throughline.Tests.Health;

/// <summary>
/// The verdict rules of docs/metrics.md ("Release health"), worked by hand: checkout deploys a0 at -1 h, a1 at 0 h (watched for
/// 30 minutes, checks named smoke-tests, one metric rule), and what happens next decides a1's verdict; the DORA numbers agree.
/// </summary>
public sealed class ReleaseVerdictTests
{
    private static readonly OperatingModel Model = OperatingModelLoader.LoadText(Facts.ModelText() + "\n" + """
        health:
          verification-window: 30m
          signals:
            checks: [smoke-tests]
            metrics:
              prometheus: http://prometheus.test:9090
              rules:
                - id: error-rate
                  query: sum(rate(errors{service="{service}"}[1m]))
                  interval: 5m
                  fail-if: "> 0.02"
                  failure-limit: 1
                  min-samples: 3
          rollback:
            owner: responsibilities.deploy-production
            action: { webhook: "https://deploy.test/{service}/rollback" }
        """, "verdicts.yaml").Model ?? throw new InvalidOperationException("invalid test model");

    private static readonly Fact[] History = [Facts.Deployed("checkout", "a0", -1), Facts.Deployed("checkout", "a1", 0)];

    [Fact]
    public void Deployment_WithinItsWindow_IsVerifying_ThenHealthyWhenTheWindowEnds()
    {
        var measured = Measurements(0.01, 0.01, 0.03, 0.01, 0.01, 0.01);

        var during = VerdictOfA1([.. History, .. measured], Facts.At(0.25));
        var after = VerdictOfA1([.. History, .. measured], Facts.At(1));

        Assert.Equal(VerdictStates.Verifying, during.State);
        Assert.Equal(VerdictStates.Healthy, after.State);
        Assert.Equal(Facts.At(0.5), after.Since);
        Assert.Equal([VerdictStates.Verifying, VerdictStates.Healthy], after.Steps.Select(s => s.State));
        Assert.Equal(RuleOutcome.Passed, after.Rules.Single().Outcome);
    }

    [Fact]
    public void FailedSmokeTest_AfterTheDeployment_FailsIt_AndTheDoraNumbersCountIt()
    {
        Fact[] facts = [.. History, Check("smoke-tests", "failure", 0.1), Check("smoke-tests", "success", 0.05, environment: "staging")];

        var verdict = VerdictOfA1(facts, Facts.At(0.2));
        var snapshot = TimelineBuilder.Build(facts, Model);
        var dora = DoraCalculator.Compute(snapshot, Model, new MetricsQuery(Facts.At(-2), Facts.At(2)));

        Assert.Equal(VerdictStates.Failed, verdict.State);
        Assert.Equal(Facts.At(0.1), verdict.FailedAt);
        Assert.Equal("testsuiterun 'smoke-tests' failed", verdict.Reason);
        Assert.Single(verdict.Signals);
        Assert.True(verdict.Frozen);
        Assert.Equal((2, 1), (dora.ChangeFailureRate.Deployments, dora.ChangeFailureRate.FailedDeployments));
        Assert.Equal(1, dora.FailedDeploymentRecoveryTime.Unrecovered);
    }

    [Fact]
    public void CheckWithAnotherName_OrBeforeTheDeployment_OrAfterTheWindow_IsNoSignal()
    {
        var verdict = VerdictOfA1(
            [.. History, .. Measurements(0.01, 0.01, 0.01), Check("unit-tests", "failure", 0.1), Check("smoke-tests", "failure", -0.5), Check("smoke-tests", "failure", 0.75)],
            Facts.At(1));

        Assert.Equal(VerdictStates.Healthy, verdict.State);
        Assert.Null(verdict.FailedAt);
    }

    [Fact]
    public void Failed_ThenConfirmed_ThenTheToolsRollback_IsRolledBack_WithEveryStep()
    {
        Fact[] facts = [.. History, Check("smoke-tests", "failure", 0.1), Requested(0.2, "ravi"), Facts.RolledBack("checkout", "a0", 0.3)];

        var rollingBack = VerdictOfA1(facts, Facts.At(0.25));
        var done = VerdictOfA1(facts, Facts.At(0.4));

        Assert.Equal(VerdictStates.RollingBack, rollingBack.State);
        Assert.Equal("ravi", rollingBack.Actions.Single().Actor);
        Assert.Equal([VerdictStates.Verifying, VerdictStates.Failed, VerdictStates.RollingBack, VerdictStates.RolledBack], done.Steps.Select(s => s.State));
        Assert.Equal(Facts.At(0.3), done.Since);
        Assert.False(done.Frozen);
    }

    [Fact]
    public void RollbackCall_AloneDoesNotCloseIt_OnlyTheToolsEventDoes()
    {
        var verdict = VerdictOfA1([.. History, Check("smoke-tests", "failure", 0.1), Requested(0.2, "ravi"), Called(0.21)], Facts.At(2));

        Assert.Equal(VerdictStates.RollingBack, verdict.State);
    }

    [Fact]
    public void EarlierArtifactDeployedAgain_IsARollback_EvenWithoutTheRolledbackEvent()
    {
        var verdict = VerdictOfA1([.. History, Check("smoke-tests", "failure", 0.1), Facts.Deployed("checkout", "a0", 0.3)], Facts.At(1));

        Assert.Equal(VerdictStates.RolledBack, verdict.State);
        Assert.Equal(Facts.At(0.3), verdict.Deployment.RolledBackAt);
    }

    [Fact]
    public void Failed_ThenANewerArtifact_IsFixedForward()
    {
        var verdict = VerdictOfA1([.. History, Check("smoke-tests", "failure", 0.1), Facts.Deployed("checkout", "a2", 0.4)], Facts.At(1));

        Assert.Equal(VerdictStates.FixedForward, verdict.State);
        Assert.Equal(Facts.At(0.4), verdict.Since);
    }

    [Fact]
    public void IncidentAfterAHealthyVerdict_FailsIt_AsTheDoraNumbersDo()
    {
        var verdict = VerdictOfA1([.. History, .. Measurements(0.01, 0.01, 0.01), Facts.Incident("INC-9", 3)], Facts.At(4));

        Assert.Equal([VerdictStates.Verifying, VerdictStates.Healthy, VerdictStates.Failed], verdict.Steps.Select(s => s.State));
        Assert.Equal(Facts.At(3), verdict.FailedAt);
    }

    [Fact]
    public void MetricRule_PastItsFailureLimit_FailsTheDeploymentAtThatMeasurement()
    {
        var verdict = VerdictOfA1([.. History, .. Measurements(0.01, 0.05, 0.04)], Facts.At(0.4));

        Assert.Equal(VerdictStates.Failed, verdict.State);
        Assert.Equal(Facts.At(0.25), verdict.FailedAt);
        Assert.Contains("2 of 3 measurements > 0.02 (failure limit 1)", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void MetricRule_WithTooFewSamples_IsInconclusive_AndThePageSaysWhy()
    {
        var verdict = VerdictOfA1([.. History, .. Measurements(0.01, null, null)], Facts.At(1));

        Assert.Equal(VerdictStates.Inconclusive, verdict.State);
        Assert.Contains("no data: 1 of 3 samples with a value (min-samples 3)", verdict.Reason, StringComparison.Ordinal);
        Assert.Contains("inconclusive", verdict.Reason, StringComparison.Ordinal);
        Assert.Null(verdict.FailedAt);
    }

    [Fact]
    public void Board_FailedRelease_FreezesTheService_AndFlagsADeploymentMadeMeanwhile()
    {
        Fact[] failed = [.. History, Check("smoke-tests", "failure", 0.1)];

        var frozen = Column(ReleaseBoardBuilder.Build(TimelineBuilder.Build(failed, Model), Model, Facts.At(0.2)));
        var after = Column(ReleaseBoardBuilder.Build(TimelineBuilder.Build([.. failed, Facts.Deployed("checkout", "a2", 0.4)], Model), Model, Facts.At(0.5)));

        Assert.Equal(("failed", "testsuiterun 'smoke-tests' failed"), (frozen.Frozen!.State, frozen.Frozen.Reason));
        Assert.Equal("waiting for someone holding the rollback (infra) to confirm it, or a fix", frozen.Frozen.Pending);
        Assert.Null(after.Frozen);
        Assert.Equal(["a2", "a1", "a0"], after.LatestProductionDeployments.Select(d => d.ArtifactId));
        Assert.Equal([true, false, false], after.LatestProductionDeployments.Select(d => d.DuringFreeze));
        Assert.Equal("fixed-forward", after.LatestProductionDeployments[1].Health);
    }

    private static ServiceColumn Column(ReleaseBoard board) => board.Services.Single(s => s.Service == "checkout");

    private static Verdict VerdictOfA1(IEnumerable<Fact> facts, DateTimeOffset now)
    {
        var snapshot = TimelineBuilder.Build(facts, Model);
        var deployment = snapshot.Deployments.Single(d => d.ArtifactId == "a1");
        return ReleaseVerdicts.Of(deployment, [.. snapshot.Incidents.Where(i => i.DeploymentKey == deployment.Key)], Model, now)!;
    }

    private static Fact Check(string name, string outcome, double hours, string environment = "production") =>
        Facts.Event("testsuiterun", "finished", hours, environment: environment) with { Name = name, Outcome = outcome, Service = "checkout" };

    /// <summary>error-rate measured every 5 minutes from 0 h: the values given, null for no data.</summary>
    private static IEnumerable<Fact> Measurements(params double?[] values) =>
        values.Select((value, i) => Health(HealthEvents.Measured, (i + 1) * 5 / 60.0) with { Name = "error-rate", Value = value });

    private static Fact Requested(double hours, string actor) => Health(HealthEvents.RollbackRequested, hours) with { Author = actor, Description = $"{actor} confirmed the rollback" };

    private static Fact Called(double hours) => Health(HealthEvents.RollbackCalled, hours) with { Outcome = "success", Description = "answered 202" };

    private static Fact Health(string kind, double hours)
    {
        var parts = kind.Split('.');
        return Facts.Event(parts[0], parts[1], hours) with { Source = HealthEvents.Source, SubjectId = History[1].Id, Service = "checkout", Environment = "production", Target = History[1].Source };
    }
}
