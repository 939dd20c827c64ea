using Throughline.Timeline;

namespace Throughline.Tests.Timeline;

/// <summary>A deployment is its (source, id) pair: two sources that reuse one id are two deployments.</summary>
public sealed partial class TimelineBuilderTests
{
    private static readonly DeploymentKey Eu = new("/argocd/eu", "checkout");
    private static readonly DeploymentKey Us = new("/argocd/us", "checkout");

    [Fact]
    public void Deployments_TwoSourcesReusingOneId_StayApart()
    {
        var snapshot = Build(Facts.TwoSourcesOneDeploymentId());

        var reused = snapshot.Deployments.Where(d => d.Id == "checkout").ToList();

        Assert.Equal([Eu, Us], reused.Select(d => d.Key));
        Assert.Equal(["acme/checkout#1"], reused[0].Delivered);
        Assert.Equal(["acme/checkout#2"], reused[1].Delivered);
        Assert.Equal(Eu, snapshot.Changes["acme/checkout#1"].Deliveries.Single().DeploymentKey);
        Assert.Equal(Us, snapshot.Changes["acme/checkout#2"].Deliveries.Single().DeploymentKey);
    }

    [Fact]
    public void Incident_TwoSourcesReusingOneId_GoesToTheDeploymentOfItsSource()
    {
        var snapshot = Build(Facts.TwoSourcesOneDeploymentId());

        var incident = Incident(snapshot, "INC-1");

        Assert.Equal(("artifact", Eu), (incident.Basis, incident.DeploymentKey));
        Assert.Equal("/argocd/eu", incident.DeploymentSource);
        Assert.Equal(["INC-1"], snapshot.Deployments.Single(d => d.Key == Eu).Incidents);
        Assert.Empty(snapshot.Deployments.Single(d => d.Key == Us).Incidents);
    }
}
