using Throughline.Timeline;

namespace Throughline.Tests.Timeline;

public sealed partial class TimelineBuilderTests
{
    private static IncidentRecord Incident(TimelineSnapshot snapshot, string id) => snapshot.Incidents.Single(i => i.Id == id);

    private static readonly Fact[] TwoReleases =
    [
        Facts.Deployed("checkout", "a1", 0),
        Facts.Deployed("checkout", "a2", 10),
    ];

    [Fact]
    public void Incident_LabelsAndResolver_FromItsDetectionsAndItsLatestResolution()
    {
        var snapshot = Build([
            .. TwoReleases,
            Facts.Incident("INC-1", 11) with { Labels = ["HighErrorRate"] },
            Facts.Incident("INC-1", 11.5) with { Labels = ["HighErrorRate", "vip"] },
            Facts.Resolved("INC-1", 12) with { Actor = "quinn", Labels = ["restored"] },
            Facts.Resolved("INC-1", 13) with { Actor = "ravi" },
        ]);

        var incident = Incident(snapshot, "INC-1");

        Assert.Equal(["HighErrorRate", "vip"], incident.Labels);
        Assert.Equal("ravi", incident.ResolvedBy);
    }

    [Fact]
    public void Incident_NamingAnOlderArtifact_GoesToThatDeploymentByArtifact()
    {
        var snapshot = Build([.. TwoReleases, Facts.Incident("INC-1", 11, artifact: "a1")]);

        var incident = Incident(snapshot, "INC-1");

        Assert.Equal(("artifact", snapshot.Deployments[0].Id), (incident.Basis, incident.DeploymentId));
        Assert.Equal(["INC-1"], snapshot.Deployments[0].Incidents);
        Assert.Empty(snapshot.Deployments[1].Incidents);
    }

    [Fact]
    public void Incident_WithoutArtifact_GoesToTheLatestDeploymentWithinTheWindow()
    {
        var snapshot = Build([.. TwoReleases, Facts.Incident("INC-1", 11)]);

        Assert.Equal(("window", snapshot.Deployments[1].Id), (Incident(snapshot, "INC-1").Basis, Incident(snapshot, "INC-1").DeploymentId));
    }

    [Fact]
    public void Incident_ExactlyAtTheWindowsEdge_IsAttributedAndASecondLater_IsNot()
    {
        var snapshot = Build([.. TwoReleases, Facts.Incident("INC-1", 34), Facts.Incident("INC-2", 34 + (1 / 3600.0))]);

        Assert.Equal("window", Incident(snapshot, "INC-1").Basis);
        var late = Incident(snapshot, "INC-2");
        Assert.Null(late.Basis);
        Assert.Contains("beyond the 24 h attribution window", late.UnattributedReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Incident_ArtifactNeverDeployed_FallsBackToTheWindow()
    {
        var snapshot = Build([.. TwoReleases, Facts.Incident("INC-1", 12, artifact: "never")]);

        Assert.Equal(("window", snapshot.Deployments[1].Id), (Incident(snapshot, "INC-1").Basis, Incident(snapshot, "INC-1").DeploymentId));
    }

    [Fact]
    public void Incident_UnattributedReasons_SayWhy()
    {
        var snapshot = Build([
            .. TwoReleases,
            Facts.Incident("no-service", 11, service: null),
            Facts.Incident("staging", 11, environment: "staging"),
            Facts.Incident("before", -1),
            Facts.Incident("other", 11, service: "ledger"),
        ]);

        Assert.Equal("the incident names no service", Incident(snapshot, "no-service").UnattributedReason);
        Assert.Equal("environment 'staging' is not a production environment", Incident(snapshot, "staging").UnattributedReason);
        Assert.Equal("no production deployment of checkout to production at or before detection", Incident(snapshot, "before").UnattributedReason);
        Assert.Equal("no production deployment of ledger to production at or before detection", Incident(snapshot, "other").UnattributedReason);
    }

    [Fact]
    public void Incident_ResolvedTwice_KeepsTheLatestResolution()
    {
        var snapshot = Build([.. TwoReleases, Facts.Incident("INC-1", 11), Facts.Resolved("INC-1", 12), Facts.Resolved("INC-1", 13)]);

        Assert.Equal(Facts.At(13), Incident(snapshot, "INC-1").ResolvedAt);
    }
}
