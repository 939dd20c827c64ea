namespace Throughline.Tests.Model;

public sealed partial class OperatingModelLoaderTests
{
    [Fact]
    public void LoadText_SyntaxError_IsLocatedWhereYamlDotNetFindsIt()
    {
        var result = ModelText.LoadReplacing("organization: Acme", "organization: Acme: Retail");

        result.SingleError(2, 19, "YAML syntax error");
    }

    [Fact]
    public void LoadText_DuplicateKey_IsReportedAtTheSecondKey()
    {
        var result = ModelText.LoadReplacing("version: 1\n", "version: 1\nversion: 1\n");

        result.SingleError(2, 1, "duplicate key 'version'", "first at line 1");
    }

    [Fact]
    public void LoadText_MappingWhereTextBelongs_IsTypeError()
    {
        var result = ModelText.LoadReplacing("organization: Acme", "organization: { name: Acme }");

        result.SingleError(2, 15, "'organization' in the model is a mapping (expected text)");
    }

    [Fact]
    public void LoadText_ProductionMaybe_ExpectsTrueOrFalse()
    {
        var result = ModelText.LoadReplacing("production: true", "production: maybe");

        result.SingleError(8, 17, "'production' in environment 'production' is 'maybe' (expected true or false)");
    }

    [Fact]
    public void LoadText_AutomatedNumber_ExpectsTrueOrFalse()
    {
        var result = ModelText.LoadReplacing("    ends: change.merged", "    automated: 3\n    ends: change.merged");

        result.SingleError(22, 16, "'automated' in stage 'review' is '3' (expected true or false)");
    }

    [Fact]
    public void LoadText_TextWhereListBelongs_ExpectsList()
    {
        var result = ModelText.LoadReplacing("    owner: web", "    owner: web\n    repositories: acme/shop");

        result.SingleError(16, 19, "'repositories' in service 'shop' is 'acme/shop' (expected a list");
    }

    [Fact]
    public void LoadText_MisspeltTeamKey_SuggestsKnownKey()
    {
        var result = ModelText.LoadReplacing("  - id: web\n", "  - id: web\n    nmae: Web\n");

        result.SingleError(5, 5, "unknown key 'nmae' in team 'web'", "expected one of: id, name, type, contact", "did you mean 'name'?");
    }

    [Fact]
    public void LoadText_MisspeltTopLevelKey_SuggestsKnownKey()
    {
        var result = ModelText.Load(ModelText.Minimal + "\nhelth:\n  attribution-window: 1h\n");

        result.SingleError(23, 1, "unknown key 'helth' in the model", "did you mean 'health'?");
    }

    [Fact]
    public void LoadText_ServiceWithoutOwner_ReportsMissingAtTheService()
    {
        var result = ModelText.LoadReplacing("    owner: web\n", "    name: Shop\n");

        result.SingleError(14, 5, "missing 'owner' in service 'shop' (expected 'owner: <team id>')");
    }

    [Fact]
    public void LoadText_ItemWithoutId_ReportsMissingId()
    {
        var result = ModelText.LoadReplacing("  - id: ops", "  - name: ops");

        Assert.Equal(2, result.Errors().Count);
        Assert.Contains(result.Errors(), e => (e.Line, e.Column) == (5, 5) && e.Message.StartsWith("missing 'id' in a team", StringComparison.Ordinal));
        Assert.Contains(result.Errors(), e => (e.Line, e.Column) == (17, 22) && e.Message.StartsWith("unknown team 'ops'", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadText_MissingOrganization_ReportsAtTheDocument()
    {
        var result = ModelText.LoadReplacing("organization: Acme\n", "");

        result.SingleError(1, 1, "missing 'organization' in the model");
    }

    [Fact]
    public void LoadText_Version2_IsUnsupported()
    {
        var result = ModelText.LoadReplacing("version: 1", "version: 2");

        result.SingleError(1, 10, "unsupported version '2' (expected 1)");
    }

    [Fact]
    public void LoadText_EmptyText_IsOneProblem()
    {
        var result = ModelText.Load("# nothing here\n");

        result.SingleError(1, 1, "the file is empty");
    }

    [Fact]
    public void LoadText_UnknownTeamType_SuggestsType()
    {
        var result = ModelText.LoadReplacing("  - id: web\n", "  - id: web\n    type: stream-alinged\n");

        result.SingleError(5, 11, "unknown team type 'stream-alinged'", "did you mean 'stream-aligned'?");
    }

    [Fact]
    public void LoadText_UnknownToolKind_SuggestsKind()
    {
        var result = ModelText.LoadReplacing("kind: github", "kind: gihtub");

        result.SingleError(11, 11, "unknown tool kind 'gihtub'", "did you mean 'github'?");
    }

    [Fact]
    public void LoadText_UnparsableDuration_ExpectsNumberAndUnit()
    {
        var result = ModelText.Load(ModelText.Minimal + "\nhealth:\n  attribution-window: soon\n");

        result.SingleError(24, 23, "invalid duration 'soon' for 'attribution-window'", "24h");
    }

    [Fact]
    public void LoadText_Durations_ParseEachUnit()
    {
        var result = ModelText.Load(ModelText.Minimal + "\nhealth:\n  attribution-window: 2d\n  verification-window: 90s\n");

        Assert.Equal(TimeSpan.FromDays(2), result.Model!.Health.AttributionWindow);
        Assert.Equal(TimeSpan.FromSeconds(90), result.Model.Health.VerificationWindow);
    }
}
