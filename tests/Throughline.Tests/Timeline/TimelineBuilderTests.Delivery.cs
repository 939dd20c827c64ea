using Throughline.Timeline;

namespace Throughline.Tests.Timeline;

public sealed partial class TimelineBuilderTests
{
    private static TimelineSnapshot Build(params Fact[] facts) => TimelineBuilder.Build(facts, Facts.Model());

    [Fact]
    public void Deployment_DeliversItsChangeAndEarlierMergedOnesNotYetDelivered()
    {
        var snapshot = Build(
            Facts.Deployed("checkout", "bootstrap", 0),
            Facts.Created("acme/checkout#1", 1), Facts.Merged("acme/checkout#1", 2),
            Facts.Created("acme/checkout#2", 1.5), Facts.Merged("acme/checkout#2", 3),
            Facts.Created("acme/checkout#3", 4), Facts.Merged("acme/checkout#3", 5),
            Facts.Packaged("a2", "acme/checkout#2", 3.5), Facts.Packaged("a3", "acme/checkout#3", 5.5),
            Facts.Deployed("checkout", "a2", 6), Facts.Deployed("checkout", "a3", 8));

        var second = snapshot.Deployments.Single(d => d.ArtifactId == "a2");
        var third = snapshot.Deployments.Single(d => d.ArtifactId == "a3");

        Assert.Equal(["acme/checkout#1", "acme/checkout#2"], second.Delivered);
        Assert.Equal(["acme/checkout#3"], third.Delivered);
        Assert.True(snapshot.Changes["acme/checkout#1"].Deliveries.Single().RodeAlong);
        Assert.False(snapshot.Changes["acme/checkout#2"].Deliveries.Single().RodeAlong);
        Assert.Equal(6 - 1, snapshot.Changes["acme/checkout#1"].LeadTimeHours!.Value, 6);
        Assert.Equal(ChangeState.Delivered, snapshot.Changes["acme/checkout#3"].State);
    }

    [Fact]
    public void Rollback_DeliversNothingAndMarksThePreviousDeploymentFailed()
    {
        var snapshot = Build(
            Facts.Deployed("checkout", "a0", 0),
            Facts.Created("acme/checkout#1", 1), Facts.Merged("acme/checkout#1", 2), Facts.Packaged("a1", "acme/checkout#1", 2.5),
            Facts.Deployed("checkout", "a1", 3),
            Facts.RolledBack("checkout", "a0", 4));

        var rollback = snapshot.Deployments.Single(d => d.IsRollback);
        var failed = snapshot.Deployments.Single(d => d.ArtifactId == "a1");

        Assert.Empty(rollback.Delivered);
        Assert.Equal(Facts.At(4), failed.RolledBackAt);
        Assert.Null(snapshot.Deployments.Single(d => d.ArtifactId == "a0" && !d.IsRollback).RolledBackAt);
    }

    [Fact]
    public void Deployment_ArtifactWithNoKnownChange_DeliversNothing()
    {
        var snapshot = Build(Facts.Created("acme/checkout#1", 0), Facts.Merged("acme/checkout#1", 1), Facts.Deployed("checkout", "mystery", 2));

        Assert.Empty(snapshot.Deployments.Single().Delivered);
        Assert.Null(snapshot.Deployments.Single().ChangeId);
        Assert.Equal(ChangeState.Merged, snapshot.Changes["acme/checkout#1"].State);
    }

    [Fact]
    public void Change_MergedBeforeTheFirstProductionDeployment_PredatesAndHasNoLeadTime()
    {
        var snapshot = Build(
            Facts.Created("acme/checkout#1", -500), Facts.Merged("acme/checkout#1", -400),
            Facts.Created("acme/checkout#2", 1), Facts.Merged("acme/checkout#2", 2), Facts.Packaged("a2", "acme/checkout#2", 2.5),
            Facts.Deployed("checkout", "a0", 0), Facts.Deployed("checkout", "a2", 3));

        var old = snapshot.Changes["acme/checkout#1"];
        var recent = snapshot.Changes["acme/checkout#2"];

        Assert.True(old.PredatesHistory);
        Assert.Null(old.LeadTimeHours);
        Assert.Equal(ChangeState.Delivered, old.State);
        Assert.False(recent.PredatesHistory);
        Assert.Equal(2.0, recent.LeadTimeHours!.Value, 6);
    }

    [Fact]
    public void SquashMerge_DeploymentBySquashCommitLinksTheChange()
    {
        // The branch's commits are gone after a squash: the change is found by its merge commit.
        var run = Facts.Event("pipelinerun", "started", 2.1, sha: "squash-7");
        var snapshot = Build(
            Facts.Deployed("checkout", "a0", 0),
            Facts.Created("acme/checkout#7", 1), Facts.Merged("acme/checkout#7", 2, sha: "squash-7"),
            run,
            Facts.DeployedSha("checkout", "squash-7", 3));

        var change = snapshot.Changes["acme/checkout#7"];

        Assert.Equal(ChangeState.Delivered, change.State);
        Assert.Contains(run.Sequence, change.EventSequences);
    }

    [Fact]
    public void Monorepo_DeploymentDeliversOnlyItsServicesChanges()
    {
        var snapshot = Build(
            Facts.Deployed("catalog", "c0", 0), Facts.Deployed("search", "s0", 0),
            Facts.Created("acme/shop#1", 1, "acme/shop", ["services/catalog/api.cs"]), Facts.Merged("acme/shop#1", 2, "acme/shop"),
            Facts.Created("acme/shop#2", 1, "acme/shop", ["services/search/index.cs"]), Facts.Merged("acme/shop#2", 2.5, "acme/shop"),
            Facts.Created("acme/shop#3", 1, "acme/shop", ["services/catalog/db.cs"]), Facts.Merged("acme/shop#3", 3, "acme/shop"),
            Facts.Packaged("c3", "acme/shop#3", 3.5), Facts.Deployed("catalog", "c3", 4));

        Assert.Equal(["acme/shop#1", "acme/shop#3"], snapshot.Deployments.Single(d => d.ArtifactId == "c3").Delivered);
        Assert.Equal(["search"], snapshot.Changes["acme/shop#2"].Services);
        Assert.Equal(ChangeState.Merged, snapshot.Changes["acme/shop#2"].State);
    }

    [Fact]
    public void ServiceWithTwoRepositories_EachDeploymentDeliversItsOwnRepository()
    {
        var snapshot = Build(
            Facts.Deployed("ledger", "l0", 0),
            Facts.Created("acme/ledger#1", 1, "acme/ledger"), Facts.Merged("acme/ledger#1", 2, "acme/ledger"),
            Facts.Created("acme/ledger-schema#1", 1, "acme/ledger-schema"), Facts.Merged("acme/ledger-schema#1", 2, "acme/ledger-schema"),
            Facts.Packaged("l1", "acme/ledger#1", 2.5), Facts.Packaged("s1", "acme/ledger-schema#1", 2.5),
            Facts.Deployed("ledger", "l1", 3), Facts.Deployed("ledger", "s1", 4));

        Assert.Equal(["acme/ledger#1"], snapshot.Deployments.Single(d => d.ArtifactId == "l1").Delivered);
        Assert.Equal(["acme/ledger-schema#1"], snapshot.Deployments.Single(d => d.ArtifactId == "s1").Delivered);
    }

    [Fact]
    public void Promotion_ChangeFollowedThroughStagingThenProduction()
    {
        var snapshot = Build(
            Facts.Deployed("checkout", "a0", 0),
            Facts.Created("acme/checkout#1", 1), Facts.Merged("acme/checkout#1", 2), Facts.Packaged("a1", "acme/checkout#1", 2.5),
            Facts.Deployed("checkout", "a1", 3, "staging"), Facts.Deployed("checkout", "a1", 6));

        var deliveries = snapshot.Changes["acme/checkout#1"].Deliveries;

        Assert.Equal([("staging", false), ("production", true)], deliveries.Select(d => (d.Environment, d.Production)));
        Assert.Equal(Facts.At(6), snapshot.Changes["acme/checkout#1"].FirstProductionDeliveryAt);
    }

    [Fact]
    public void Artifact_BuiltBeforeTheMergeIsSeen_StillLinksThroughTheChain()
    {
        var snapshot = Build(
            Facts.Deployed("checkout", "a0", 0),
            Facts.Created("acme/checkout#1", 1),
            Facts.Packaged("a1", "acme/checkout#1", 1.5) with { ChangeId = null, ChainId = "ch1" },
            Facts.Merged("acme/checkout#1", 2) with { ChainId = "ch1" },
            Facts.Deployed("checkout", "a1", 3));

        Assert.Equal(["acme/checkout#1"], snapshot.Deployments.Single(d => d.ArtifactId == "a1").Delivered);
    }

    [Fact]
    public void ChangesMergedAtTheSameInstant_RideAlongTogether()
    {
        var snapshot = Build(
            Facts.Deployed("checkout", "a0", 0),
            Facts.Created("acme/checkout#1", 1), Facts.Merged("acme/checkout#1", 2),
            Facts.Created("acme/checkout#2", 1), Facts.Merged("acme/checkout#2", 2),
            Facts.Packaged("a1", "acme/checkout#1", 2.5), Facts.Deployed("checkout", "a1", 3));

        Assert.Equal(["acme/checkout#1", "acme/checkout#2"], snapshot.Deployments.Single(d => d.ArtifactId == "a1").Delivered);
    }

    [Fact]
    public void Monorepo_ADeploymentAlwaysDeliversItsOwnChange()
    {
        var snapshot = Build(
            Facts.Deployed("catalog", "c0", 0),
            Facts.Created("acme/shop#1", 1, "acme/shop", ["services/search/x.cs"]), Facts.Merged("acme/shop#1", 2, "acme/shop"),
            Facts.Created("acme/shop#2", 1, "acme/shop", ["services/catalog/y.cs"]), Facts.Merged("acme/shop#2", 3, "acme/shop"),
            Facts.Packaged("c2", "acme/shop#2", 3.5), Facts.Deployed("catalog", "c2", 4),
            Facts.Packaged("s1", "acme/shop#1", 4.5), Facts.Deployed("catalog", "s1", 5));

        Assert.Equal(["acme/shop#1"], snapshot.Deployments.Single(d => d.ArtifactId == "s1").Delivered);
    }
}
