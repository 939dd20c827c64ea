using Throughline.Model;

namespace Throughline.Tests.Model;

public sealed partial class OperatingModelLoaderTests
{
    private static readonly string ExamplePath = Path.Combine(AppContext.BaseDirectory, "TestData", "models", "throughline.yaml");

    private static ModelLoadResult LoadExample() =>
        OperatingModelLoader.LoadFile(ExamplePath, ModelText.Options(requireSecrets: true));

    [Fact]
    public void LoadFile_SharedExampleWithSecretsSet_IsValidWarningOnlyOfFieldsNotUsedYet()
    {
        var result = LoadExample();

        Assert.All(result.Problems, p => Assert.Equal(ProblemSeverity.Warning, p.Severity));
        // The one other warning: the build stage's tool (GitHub) never sends artifact.packaged.
        Assert.Equal((99, 11), Assert.Single(result.Surprises(), p => p.Message.Contains("never sends artifact.packaged", StringComparison.Ordinal)) is var w ? (w.Line, w.Column) : default);
        Assert.Single(result.Surprises());
        Assert.True(result.IsValid);
        Assert.NotNull(result.Model);
    }

    [Fact]
    public void LoadFile_SharedExample_ReadsOrganization()
    {
        var model = LoadExample().Model!;

        Assert.Equal(1, model.Version);
        Assert.Equal("Acme Retail", model.Organization);
        Assert.Equal(["storefront", "platform", "infra", "qa", "sre"], model.Teams.Select(t => t.Id));
        Assert.Equal(new Team("storefront", "Storefront", TeamType.StreamAligned, "#storefront"), model.Teams[0]);
        Assert.Equal(TeamType.Enabling, model.Teams[3].Type);
        Assert.Equal("production", Assert.Single(model.ProductionEnvironments).Id);
        Assert.False(model.Environments[0].IsProduction);
    }

    [Fact]
    public void LoadFile_SharedExample_ReadsPeopleAndTools()
    {
        var model = LoadExample().Model!;

        Assert.Equal([new ToolIdentity("github", "alice"), new ToolIdentity("gitlab", "alice.w")], model.People[0].Identities);
        Assert.Equal(9, model.Tools.Count);
        var github = model.Tools[0];
        Assert.Equal((new ToolKind("github"), "GITHUB_WEBHOOK_SECRET", "secret-value"), (github.Kind, github.Secret!.VariableName, github.Secret.Value));
        Assert.Null(github.Token);
        var alertmanager = model.Tools.Single(t => t.Kind == new ToolKind("alertmanager"));
        Assert.Equal("env", alertmanager.Labels["environment"]);
        Assert.Equal("ARGOCD_NOTIFY_TOKEN", model.Tools.Single(t => t.Id == "argocd").Token!.VariableName);
    }

    [Fact]
    public void LoadFile_SharedExample_ReadsServicesAndResponsibilities()
    {
        var model = LoadExample().Model!;

        var ledger = model.Services.Single(s => s.Id == "ledger");
        Assert.Equal("infra", ledger.Responsibilities["approve-production"]);
        Assert.Equal(["services/catalog/**"], model.Services.Single(s => s.Id == "catalog").Paths);
        Assert.Equal("Checkout API", model.Services[0].Name);
        Assert.Equal("qa", model.Responsibilities["approve-production"]);
        Assert.Equal("infra", model.ResolveResponsibility("approve-production", "ledger"));
        Assert.Equal("qa", model.ResolveResponsibility("approve-production", "checkout"));
    }

    [Fact]
    public void LoadFile_SharedExample_ReadsFlow()
    {
        var model = LoadExample().Model!;

        Assert.Equal(["review", "build", "staging", "qa-signoff", "production"], model.Flow.Select(s => s.Id));
        var production = model.Flow[^1];
        Assert.Equal(("service", "deployed"), (production.Ends.Subject, production.Ends.Predicate));
        Assert.Equal("production", Assert.Single(production.Ends.Filters, f => f.Key == "environment").Value);
        Assert.Null(model.Flow[2].Starts);
        Assert.Equal(["unit-tests", "lint"], model.Flow[1].Checks);
        Assert.True(model.Flow[1].Automated);
        Assert.Equal(new StageOwner(StageOwnerKind.Responsibility, "deploy-production"), production.Owner);
        Assert.Equal("storefront", model.ResolveStageOwner(model.Flow[0], "checkout"));
        Assert.Equal("infra", model.ResolveStageOwner(model.Flow[0], "ledger"));
        Assert.Equal("infra", model.ResolveStageOwner(production, "checkout"));
        Assert.Equal("platform", model.ResolveStageOwner(model.Flow[1], "checkout"));
    }

    [Fact]
    public void LoadFile_SharedExample_ReadsHealth()
    {
        var health = LoadExample().Model!.Health;

        Assert.Equal(TimeSpan.FromHours(24), health.AttributionWindow);
        Assert.Equal(TimeSpan.FromMinutes(30), health.VerificationWindow);
        Assert.False(health.Rollback!.Automatic);
        Assert.Equal(new StageOwner(StageOwnerKind.Responsibility, "rollback"), health.Rollback.Owner);
        Assert.Equal("https://argocd.internal.example/api/v1/applications/{service}/rollback", health.Rollback.Action!.Webhook);
        Assert.Equal("ROLLBACK_HOOK_SECRET", health.Rollback.Action.Secret!.VariableName);
    }

    [Fact]
    public void LoadText_MinimalModelWithoutHealth_UsesDefaults()
    {
        var result = ModelText.Load(ModelText.Minimal);

        Assert.Empty(result.Surprises());
        Assert.Equal(HealthSettings.Default, result.Model!.Health);
        Assert.Equal(TimeSpan.FromHours(24), result.Model.Health.AttributionWindow);
        Assert.Null(result.Model.Health.VerificationWindow);
        Assert.Empty(result.Model.People);
    }
}
