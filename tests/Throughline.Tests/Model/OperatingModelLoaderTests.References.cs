using Throughline.Model;

namespace Throughline.Tests.Model;

public sealed partial class OperatingModelLoaderTests
{
    [Fact]
    public void LoadText_DuplicateEnvironmentId_PointsAtTheFirst()
    {
        var result = ModelText.LoadReplacing("environments:\n", "environments:\n  - id: production\n");

        result.SingleError(8, 9, "duplicate environment id 'production'", "first defined at line 7");
    }

    [Fact]
    public void LoadText_DuplicateStageId_IsError()
    {
        var result = ModelText.Load(ModelText.Minimal + "\n  - id: review\n    owner: ops\n    ends: service.deployed\n");

        result.SingleError(23, 9, "duplicate stage id 'review'");
    }

    [Fact]
    public void LoadText_UnknownServiceOwner_SuggestsTeam()
    {
        var result = ModelText.LoadReplacing("owner: web", "owner: wbe");

        result.SingleError(15, 12, "unknown team 'wbe' in service 'shop'", "expected one of: web, ops", "did you mean 'web'?");
    }

    [Fact]
    public void LoadText_UnknownResponsibilityTeam_IsError()
    {
        var result = ModelText.LoadReplacing("deploy-production: ops", "deploy-production: opps");

        result.SingleError(17, 22, "unknown team 'opps' in responsibility 'deploy-production'", "did you mean 'ops'?");
    }

    [Fact]
    public void LoadText_StageOwnerUnknownResponsibility_PointsAtTheName()
    {
        var result = ModelText.LoadReplacing("owner: service-owner", "owner: responsibilities.deploy-produtcion");

        result.SingleError(20, 29, "unknown responsibility 'deploy-produtcion' in stage 'review'", "did you mean 'deploy-production'?");
    }

    [Fact]
    public void LoadText_StageOwnerResponsibility_ResolvesPerService()
    {
        var result = ModelText.LoadReplacing("owner: service-owner", "owner: responsibilities.deploy-production");

        Assert.True(result.IsValid);
        Assert.Equal("ops", result.Model!.ResolveStageOwner(result.Model.Flow[0], "shop"));
    }

    [Fact]
    public void LoadText_UnknownStageTool_SuggestsTool()
    {
        var result = ModelText.LoadReplacing("tool: github", "tool: githb");

        result.SingleError(21, 11, "unknown tool 'githb' in stage 'review'", "did you mean 'github'?");
    }

    [Fact]
    public void LoadText_IdentityWithUnknownToolPrefix_SuggestsToolOrKind()
    {
        var result = ModelText.Load(ModelText.Minimal + "\npeople:\n  - id: al\n    team: web\n    identities: [github:al, gitlb:al]\n");

        result.SingleError(26, 29, "unknown tool 'gitlb' in person 'al'", "did you mean 'gitlab'?");
    }

    [Fact]
    public void LoadText_StageEndsFilterWithoutValue_PointsAtTheToken()
    {
        var result = ModelText.LoadReplacing("ends: change.merged", "ends: change.merged env");

        result.SingleError(22, 25, "invalid filter 'env' in 'ends' of stage 'review' (expected key=value");
    }

    [Fact]
    public void LoadText_StageEndsBadEventName_PointsAtTheToken()
    {
        var result = ModelText.LoadReplacing("ends: change.merged", "ends: Change-merged");

        result.SingleError(22, 11, "invalid event 'Change-merged' in 'ends' of stage 'review' (expected subject.predicate");
    }

    [Fact]
    public void LoadText_StageWithoutEnds_IsError()
    {
        var result = ModelText.LoadReplacing("    ends: change.merged", "    starts: change.created");

        result.SingleError(19, 5, "missing 'ends' in stage 'review'");
    }

    [Fact]
    public void LoadText_NoProductionEnvironment_IsError()
    {
        var result = ModelText.LoadReplacing("production: true", "production: false");

        result.SingleError(6, 1, "no environment has 'production: true'");
    }

    [Fact]
    public void LoadText_UnsetSecretWhenValidating_IsWarning()
    {
        var result = ModelText.Load(ModelText.Minimal, ModelText.Options(requireSecrets: false, "GH_SECRET"));

        var warning = Assert.Single(result.Surprises());
        Assert.Equal((12, 13, ProblemSeverity.Warning), (warning.Line, warning.Column, warning.Severity));
        Assert.Contains("environment variable 'GH_SECRET'", warning.Message, StringComparison.Ordinal);
        Assert.True(result.IsValid);
        Assert.Equal(new SecretValue("GH_SECRET", null), result.Model!.Tools[0].Secret);
    }

    [Fact]
    public void LoadText_UnsetSecretWhenServing_IsError()
    {
        var result = ModelText.Load(ModelText.Minimal, ModelText.Options(requireSecrets: true, "GH_SECRET"));

        result.SingleError(12, 13, "environment variable 'GH_SECRET' for 'secret' of tool 'github' is not set");
    }

    [Fact]
    public void LoadText_LiteralSecret_RefusedBecauseViewersReadTheModelsText()
    {
        var result = ModelText.LoadReplacing("secret: ${GH_SECRET}", "secret: hunter2");

        var error = Assert.Single(result.Surprises());
        Assert.Equal((12, 13, ProblemSeverity.Error), (error.Line, error.Column, error.Severity));
        Assert.Contains("put secrets in the environment", error.Message, StringComparison.Ordinal);
        Assert.False(result.IsValid);
    }

    [Fact]
    public void LoadText_SecretsNotRead_NeitherLookedUpNorWarnedAbout()
    {
        var options = ModelText.Options(requireSecrets: false, "GH_SECRET") with { ReadSecrets = false, GetEnvironmentVariable = _ => throw new InvalidOperationException("looked up") };

        var unset = ModelText.Load(ModelText.Minimal, options);
        var literal = ModelText.Load(ModelText.Minimal.Replace("secret: ${GH_SECRET}", "secret: hunter2", StringComparison.Ordinal), options);

        Assert.Empty(unset.Surprises());
        Assert.Equal(new SecretValue("GH_SECRET", null), unset.Model!.Tools[0].Secret);
        Assert.Empty(literal.Surprises());
        Assert.Null(literal.Model!.Tools[0].Secret!.Value);
    }

    [Fact]
    public void LoadText_SecretsNotRead_MalformedReferenceIsStillAnError()
    {
        var result = ModelText.Load(
            ModelText.Minimal.Replace("secret: ${GH_SECRET}", "secret: pre-${GH_SECRET}", StringComparison.Ordinal), new ModelLoadOptions { ReadSecrets = false });

        result.SingleError(12, 13, "invalid secret reference 'pre-${GH_SECRET}'");
    }
}
