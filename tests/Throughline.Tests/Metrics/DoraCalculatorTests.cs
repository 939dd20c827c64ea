using Throughline.Metrics;
using Throughline.Tests.Timeline;
using Throughline.Timeline;

namespace Throughline.Tests.Metrics;

public sealed class DoraCalculatorTests
{
    private static readonly MetricsQuery Week = new(Facts.At(0), Facts.At(24 * 7));

    private static DoraMetrics Dora(MetricsQuery query, params Fact[] facts)
    {
        var model = Facts.Model();
        return DoraCalculator.Compute(TimelineBuilder.Build(facts, model), model, query);
    }

    private static Fact[] Release(string change, string artifact, double mergedAt, double deployedAt) =>
    [
        Facts.Created(change, mergedAt - 2), Facts.Merged(change, mergedAt), Facts.Packaged(artifact, change, mergedAt + 0.5), Facts.Deployed("checkout", artifact, deployedAt),
    ];

    [Fact]
    public void EmptyWindow_NullWhereUndefinedNeverZero()
    {
        var metrics = Dora(Week);

        Assert.Equal((0, 0, 0.0), (metrics.DeploymentFrequency.Deployments, metrics.DeploymentFrequency.DeploymentDays, metrics.DeploymentFrequency.PerDay));
        Assert.Null(metrics.ChangeLeadTime.MedianHours);
        Assert.Null(metrics.ChangeLeadTime.P90Hours);
        Assert.Null(metrics.ChangeFailureRate.Rate);
        Assert.Null(metrics.FailedDeploymentRecoveryTime.MedianHours);
        Assert.Null(metrics.DeploymentReworkRate.Rate);
    }

    [Fact]
    public void Window_DeploymentExactlyAtFromCountsAndExactlyAtToDoesNot()
    {
        var metrics = Dora(Week, [Facts.Deployed("checkout", "a0", -10), .. Release("acme/checkout#1", "a1", -1, 0), .. Release("acme/checkout#2", "a2", 100, 24 * 7)]);

        Assert.Equal(1, metrics.DeploymentFrequency.Deployments);
        Assert.Equal(1, metrics.ChangeLeadTime.Changes);
        Assert.Equal(3.0, metrics.ChangeLeadTime.MedianHours!.Value, 9);
        Assert.Equal(1.0 / 7, metrics.DeploymentFrequency.PerDay, 9);
    }

    [Fact]
    public void EarlierMergedChange_RidesAlongIntoLeadTime()
    {
        var metrics = Dora(Week, [
            Facts.Deployed("checkout", "a0", -10),
            Facts.Created("acme/checkout#1", 1), Facts.Merged("acme/checkout#1", 2),
            .. Release("acme/checkout#2", "a2", 5, 10)]);

        Assert.Equal(2, metrics.ChangeLeadTime.Changes);
        Assert.Equal(8.0, metrics.ChangeLeadTime.MedianHours!.Value, 9); // 9 h (rode along) and 7 h
    }

    [Fact]
    public void Rollback_FailureRecoveryAndRework()
    {
        var metrics = Dora(Week, [
            Facts.Deployed("checkout", "a0", -10),
            .. Release("acme/checkout#1", "a1", 1, 10),
            Facts.RolledBack("checkout", "a0", 12)]);

        Assert.Equal((2, 1, 0.5), (metrics.ChangeFailureRate.Deployments, metrics.ChangeFailureRate.FailedDeployments, metrics.ChangeFailureRate.Rate));
        Assert.Equal(2.0, metrics.FailedDeploymentRecoveryTime.MedianHours!.Value, 9); // known at the rollback, recovered by it
        Assert.Equal((1, 0.5), (metrics.DeploymentReworkRate.ReworkDeployments, metrics.DeploymentReworkRate.Rate));
    }

    [Fact]
    public void UnresolvedIncidentAndNoLaterDeployment_Unrecovered()
    {
        var metrics = Dora(Week, [Facts.Deployed("checkout", "a0", -10), .. Release("acme/checkout#1", "a1", 1, 10), Facts.Incident("INC-1", 11)]);

        Assert.Equal((0, 1), (metrics.FailedDeploymentRecoveryTime.Recovered, metrics.FailedDeploymentRecoveryTime.Unrecovered));
        Assert.Null(metrics.FailedDeploymentRecoveryTime.MedianHours);
    }

    [Fact]
    public void Recovery_EarlierOfNextDeploymentAndResolution()
    {
        var byResolution = Dora(Week, [
            Facts.Deployed("checkout", "a0", -10), .. Release("acme/checkout#1", "a1", 1, 10),
            Facts.Incident("INC-1", 11), Facts.Resolved("INC-1", 13), .. Release("acme/checkout#2", "a2", 14, 20)]);
        var byDeployment = Dora(Week, [
            Facts.Deployed("checkout", "a0", -10), .. Release("acme/checkout#1", "a1", 1, 10),
            Facts.Incident("INC-1", 11), Facts.Resolved("INC-1", 30), .. Release("acme/checkout#2", "a2", 14, 20)]);

        Assert.Equal(3.0, byResolution.FailedDeploymentRecoveryTime.MedianHours!.Value, 9);
        Assert.Equal(10.0, byDeployment.FailedDeploymentRecoveryTime.MedianHours!.Value, 9);
        Assert.Equal(0, byResolution.DeploymentReworkRate.ReworkDeployments); // resolved before the next deployment
        Assert.Equal(1, byDeployment.DeploymentReworkRate.ReworkDeployments); // still open at the next deployment
    }

    [Fact]
    public void IncidentNamingAnOlderArtifact_FailsThatDeployment()
    {
        var metrics = Dora(Week, [
            Facts.Deployed("checkout", "a0", -10), .. Release("acme/checkout#1", "a1", 1, 10), .. Release("acme/checkout#2", "a2", 11, 20),
            Facts.Incident("INC-1", 21, artifact: "a1")]);

        Assert.Equal(1, metrics.ChangeFailureRate.FailedDeployments);
        Assert.Equal(0, metrics.DeploymentReworkRate.ReworkDeployments); // no deployment after detection
        Assert.Equal((0, 1), (metrics.FailedDeploymentRecoveryTime.Recovered, metrics.FailedDeploymentRecoveryTime.Unrecovered));
    }

    [Fact]
    public void IncidentOutsideTheWindow_FailsNothing()
    {
        var metrics = Dora(Week, [Facts.Deployed("checkout", "a0", -10), .. Release("acme/checkout#1", "a1", 1, 10), Facts.Incident("INC-1", 10 + 24 + 1)]);

        Assert.Equal(0, metrics.ChangeFailureRate.FailedDeployments);
        Assert.Equal(0.0, metrics.ChangeFailureRate.Rate);
    }

    [Fact]
    public void Scope_ServiceTeamAndEnvironment()
    {
        Fact[] facts = [
            Facts.Deployed("checkout", "a0", 1), Facts.Deployed("catalog", "c0", 2), Facts.Deployed("checkout", "a0", 3, "staging")];

        Assert.Equal(2, Dora(Week, facts).DeploymentFrequency.Deployments);
        Assert.Equal(1, Dora(Week with { Service = "catalog" }, facts).DeploymentFrequency.Deployments);
        Assert.Equal(2, Dora(Week with { Team = "web" }, facts).DeploymentFrequency.Deployments);
        Assert.Equal(0, Dora(Week with { Team = "infra" }, facts).DeploymentFrequency.Deployments);
        Assert.Equal(1, Dora(Week with { Environment = "staging" }, facts).DeploymentFrequency.Deployments);
    }

    [Fact]
    public void Percentiles_LinearInterpolationBetweenClosestRanks()
    {
        Assert.Equal(24.5, Percentile.Of([20, 24, 25, 63], 0.5));
        Assert.Equal(34.5, Percentile.Of([20, 24, 25, 63], 0.75));
        Assert.Equal(51.6, Percentile.Of([20, 24, 25, 63], 0.9)!.Value, 9);
        Assert.Equal(7.0, Percentile.Of([7], 0.9));
        Assert.Null(Percentile.Of([], 0.5));
    }

    [Fact]
    public void ServiceScope_LeadTimeToThatService_EvenWhenAnotherGotTheChangeFirst()
    {
        var facts = new[]
        {
            Facts.Deployed("catalog", "c0", 0), Facts.Deployed("search", "s0", 0),
            Facts.Created("acme/shop#1", 1, "acme/shop"), Facts.Merged("acme/shop#1", 2, "acme/shop"), Facts.Packaged("x1", "acme/shop#1", 2.5),
            Facts.Deployed("catalog", "x1", 3), Facts.Deployed("search", "x1", 6),
        };

        var search = Dora(Week with { Service = "search" }, facts);
        var catalog = Dora(Week with { Service = "catalog" }, facts);

        Assert.Equal(5.0, search.ChangeLeadTime.MedianHours!.Value, 9);
        Assert.Equal(2.0, catalog.ChangeLeadTime.MedianHours!.Value, 9);
    }

    [Fact]
    public void RollbackAtTheSameInstant_OrderedAsCorrelated_RecoversTheDeployment()
    {
        // Same timestamp: facts are ordered by source then id, so D (/a) comes before the rollback R (/b) however the ids sort.
        var metrics = Dora(Week, [
            Facts.Deployed("checkout", "a0", -10),
            Facts.Created("acme/checkout#1", 1), Facts.Merged("acme/checkout#1", 2), Facts.Packaged("a1", "acme/checkout#1", 2.5),
            Facts.Deployed("checkout", "a1", 5) with { Source = "/a", Id = "9" },
            Facts.RolledBack("checkout", "a0", 5) with { Source = "/b", Id = "1" }]);

        Assert.Equal(1, metrics.ChangeFailureRate.FailedDeployments);
        Assert.Equal((1, 0), (metrics.FailedDeploymentRecoveryTime.Recovered, metrics.FailedDeploymentRecoveryTime.Unrecovered));
        Assert.Equal(0.0, metrics.FailedDeploymentRecoveryTime.MedianHours);
    }

    [Fact]
    public void TwoSourcesReusingOneDeploymentId_EachDeploymentJudgedOnItsOwn()
    {
        var metrics = Dora(Week, Facts.TwoSourcesOneDeploymentId());

        Assert.Equal((2, 1), (metrics.ChangeFailureRate.Deployments, metrics.ChangeFailureRate.FailedDeployments));
        // The EU deployment recovered when the US one followed it (7 h), and that one is rework: INC-1 was still open.
        Assert.Equal((1, 7.0 - 4), (metrics.FailedDeploymentRecoveryTime.Recovered, metrics.FailedDeploymentRecoveryTime.MedianHours!.Value));
        Assert.Equal(1, metrics.DeploymentReworkRate.ReworkDeployments);
        Assert.Equal((2, 2 + 2), (metrics.ChangeLeadTime.Changes, metrics.ChangeLeadTime.Events));
    }
}
