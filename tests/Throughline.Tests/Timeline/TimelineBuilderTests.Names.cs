using Throughline.Intake.Hooks;
using Throughline.Timeline;

namespace Throughline.Tests.Timeline;

public sealed partial class TimelineBuilderTests
{
    [Fact]
    public void Repository_AnyCase_SameServiceForChangesAndDeployments()
    {
        var snapshot = Build(
            Facts.Created("acme/checkout#1", 1, repository: "ACME/Checkout"), Facts.Merged("acme/checkout#1", 2, repository: "ACME/Checkout"),
            Facts.Packaged("a1", "acme/checkout#1", 2.5),
            Facts.Deployed("Acme/CHECKOUT", "a1", 3));

        Assert.Equal(["checkout"], snapshot.Changes["acme/checkout#1"].Services);
        Assert.Equal("checkout", Assert.Single(snapshot.Deployments).Service);
    }

    [Fact]
    public void Repository_IntakeAndTimeline_NameTheSameService()
    {
        // GitHub names a deployment's service at intake; the timeline names a repository it is given: one rule, on the model.
        var model = Facts.Model();
        var context = new HookContext(GitHubTool, model, new Dictionary<string, string>(), default, Facts.T0);

        Assert.Equal(new FactLinks(Facts.Deployed("ACME/Checkout", "a1", 0), model).Service, context.ServiceFor("ACME/Checkout"));
        Assert.Equal(new FactLinks(Facts.Deployed("acme/elsewhere", "a1", 0), model).Service, context.ServiceFor("acme/elsewhere"));
    }

    [Fact]
    public void Production_NoModel_ProductionOrProd()
    {
        var snapshot = TimelineBuilder.Build(
            [Facts.Deployed("checkout", "a1", 1, "prod"), Facts.Deployed("checkout", "a2", 2, "production"), Facts.Deployed("checkout", "a3", 3, "staging")], null);

        Assert.Equal([("prod", true), ("production", true), ("staging", false)], snapshot.Deployments.Select(d => (d.Environment, d.Production)));
    }

    [Fact]
    public void Production_WithModel_OnlyTheDeclaredOnes()
    {
        var snapshot = Build(Facts.Deployed("checkout", "a1", 1, "prod"), Facts.Deployed("checkout", "a2", 2, "production"));

        Assert.Equal([("prod", false), ("production", true)], snapshot.Deployments.Select(d => (d.Environment, d.Production)));
    }

    private static readonly Throughline.Model.Tool GitHubTool = new("github", new("github"), null, null, new Dictionary<string, string>());
}
