using Throughline.Model;

namespace Throughline.Tests.Model;

public sealed class OperatingModelResolversTests
{
    private static readonly OperatingModel Model = OperatingModelLoader.LoadText("""
        version: 1
        organization: Acme
        teams: [{id: web}]
        environments: [{id: staging}, {id: live, production: true}, {id: production}, {id: eu-live, production: true}]
        services:
          - {id: checkout, owner: web, repositories: [Acme/Checkout]}
          - {id: catalog, owner: web, repositories: [acme/shop], paths: [services/catalog/**]}
          - {id: search, owner: web, repositories: [acme/shop], paths: [services/search/**]}
          - {id: ledger, owner: web, repositories: [acme/ledger]}
        """, "resolvers.yaml").Model ?? throw new InvalidOperationException("the test model is invalid");

    [Theory]
    [InlineData("Acme/Checkout", "checkout")]
    [InlineData("acme/checkout", "checkout")]
    [InlineData("ACME/CHECKOUT", "checkout")]
    [InlineData("ACME/Shop", "catalog")]
    [InlineData("acme/unknown", "acme/unknown")]
    public void ServiceOfRepository_AnyCase_TheFirstServiceHoldingItElseItself(string repository, string expected)
    {
        Assert.Equal(expected, OperatingModel.ServiceOfRepository(Model, repository));
    }

    [Fact]
    public void ServiceOfRepository_NoModel_TheRepositoryItself()
    {
        Assert.Equal("Acme/Checkout", OperatingModel.ServiceOfRepository(null, "Acme/Checkout"));
    }

    [Fact]
    public void ServicesOfRepository_Monorepo_EveryServiceInModelOrder()
    {
        Assert.Equal(["catalog", "search"], Model.ServicesOfRepository("Acme/SHOP").Select(s => s.Id));
        Assert.Empty(Model.ServicesOfRepository("acme/other"));
    }

    [Theory]
    [InlineData("checkout", "checkout")]
    [InlineData("acme/checkout", "checkout")]
    [InlineData("Acme/Ledger", "ledger")]
    [InlineData("Checkout", "Checkout")]
    public void ServiceIdFor_ServiceIdExactlyElseRepositoryAnyCase(string named, string expected)
    {
        // Service ids are compared exactly (Checkout is no service); repositories ignore case.
        Assert.Equal(expected, OperatingModel.ServiceIdFor(Model, named));
    }

    [Fact]
    public void ServiceIdFor_NoModel_TheNameItself()
    {
        Assert.Equal("acme/checkout", OperatingModel.ServiceIdFor(null, "acme/checkout"));
    }

    [Theory]
    [InlineData("live", true)]
    [InlineData("eu-live", true)]
    [InlineData("production", false)]
    [InlineData("prod", false)]
    [InlineData("Live", false)]
    [InlineData("staging", false)]
    public void IsProduction_WithModel_ExactlyTheDeclaredProductionEnvironments(string environment, bool expected)
    {
        Assert.Equal(expected, OperatingModel.IsProduction(Model, environment));
    }

    [Theory]
    [InlineData("production", true)]
    [InlineData("prod", true)]
    [InlineData("Production", false)]
    [InlineData("live", false)]
    [InlineData("staging", false)]
    public void IsProduction_NoModel_NamedProductionOrProd(string environment, bool expected)
    {
        Assert.Equal(expected, OperatingModel.IsProduction(null, environment));
    }

    [Fact]
    public void DefaultProductionEnvironment_TheFirstDeclaredElseProduction()
    {
        Assert.Equal("live", OperatingModel.DefaultProductionEnvironment(Model));
        Assert.Equal("production", OperatingModel.DefaultProductionEnvironment(null));
        Assert.True(OperatingModel.IsProduction(null, OperatingModel.DefaultProductionEnvironment(null)));
    }
}
