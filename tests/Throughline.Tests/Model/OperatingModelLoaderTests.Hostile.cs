using Throughline.Model;

namespace Throughline.Tests.Model;

public sealed partial class OperatingModelLoaderTests
{
    private const string BillionLaughs = """
        version: 1
        a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
        b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
        c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
        d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
        e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
        f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
        g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
        h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
        i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
        """;

    [Theory]
    [InlineData("organization: Acme # \0", 2, 22, "a NUL character")]
    [InlineData("organization: \"Ac\\0me\"", 2, 15, "the value holds a NUL character")]
    [InlineData("organization: \"Acme \\ud800 Retail\"", 2, 15, "While scanning a quoted scalar")]
    [InlineData("organization: \"\\udc00\\ud800\"", 2, 15, "not valid YAML")]
    [InlineData("organization: [", 2, 1, "not valid YAML")]
    public void LoadText_TextNoStoreOrReaderCanKeep_OneProblemWhereItIs(string line, int row, int column, string expected)
    {
        var result = ModelText.LoadReplacing("organization: Acme", line);

        var error = Assert.Single(result.Problems);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(row, error.Line);
        Assert.True(expected is "not valid YAML" or "While scanning a quoted scalar" || error.Column == column, $"column {error.Column}");
        Assert.Null(result.Model);
    }

    [Fact]
    public void LoadText_SurrogatePairEscape_Accepted()
    {
        var result = ModelText.LoadReplacing("organization: Acme", "organization: \"Acme \\ud83d\\ude00\"");

        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        Assert.Equal("Acme \ud83d\ude00", result.Model!.Organization);
    }

    [Fact]
    public void LoadText_BillionLaughs_IsRefusedWithoutExpandingIt()
    {
        var before = GC.GetAllocatedBytesForCurrentThread();

        var result = ModelText.Load(BillionLaughs);

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var error = Assert.Single(result.Problems);
        Assert.Equal(7, error.Line); // the first alias that takes the count past the limit, not the end of the file
        Assert.Contains("more than 100000 nodes once aliases are expanded", error.Message, StringComparison.Ordinal);
        // Expanded, it would be 9^8 (43 million) nodes, gigabytes; counting them costs what reading the text does (about 30 KB).
        Assert.True(allocated < 16 * 1024 * 1024, $"refusing it allocated {allocated:N0} bytes");
    }

    [Fact]
    public void LoadText_NestingDeeperThanLimit_IsRefused()
    {
        var yaml = "version: 1\nx-deep: " + new string('[', 100) + new string(']', 100) + "\n";

        var result = ModelText.Load(yaml);

        var error = Assert.Single(result.Problems);
        Assert.Equal((2, 72), (error.Line, error.Column));
        Assert.Contains("nesting deeper than 64 levels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_UnknownAlias_IsRefused()
    {
        var result = ModelText.Load("version: *nowhere\n");

        result.SingleError(1, 10, "alias '*nowhere' refers to no anchor");
    }

    [Fact]
    public void LoadFile_LargerThanLimit_IsRefusedNamingThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"throughline-big-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, ModelText.Minimal);

        var result = OperatingModelLoader.LoadFile(path, ModelText.Options() with { MaxFileBytes = 100 });

        File.Delete(path);
        var error = Assert.Single(result.Problems);
        Assert.Equal((path, 1, 1), (error.File, error.Line, error.Column));
        Assert.Contains($"'{path}' is {ModelText.Minimal.Length} bytes (expected at most 100 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_LargerThanLimit_IsRefused()
    {
        var result = ModelText.Load(ModelText.Minimal, ModelText.Options() with { MaxFileBytes = 100 });

        result.SingleError(1, 1, "expected at most 100 bytes");
    }

    [Fact]
    public void LoadFile_MissingFile_IsOneProblemNamingThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"throughline-missing-{Guid.NewGuid():N}.yaml");

        var result = OperatingModelLoader.LoadFile(path);

        var error = Assert.Single(result.Problems);
        Assert.Equal((path, 1, 1, ProblemSeverity.Error), (error.File, error.Line, error.Column, error.Severity));
        Assert.Contains($"'{path}' not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_MergeKeys_MergeAnchoredDefaults()
    {
        var yaml = """
            version: 1
            organization: Acme
            x-defaults:
              service: &service { owner: web, repositories: [acme/monorepo] }
              stage: &stage { owner: service-owner, ends: service.deployed }
            teams: [{ id: web }]
            environments: [{ id: production, production: true }]
            services:
              - id: shop
                <<: *service
              - id: cart
                <<: *service
                repositories: [acme/cart]
            flow:
              - { id: staging, <<: *stage }
              - id: production
                <<: [*stage]
                ends: service.deployed environment=production
            """;

        var result = ModelText.Load(yaml);

        Assert.Empty(result.Problems);
        Assert.Equal(["web", "web"], result.Model!.Services.Select(s => s.Owner));
        Assert.Equal(["acme/monorepo"], result.Model.Services[0].Repositories);
        Assert.Equal(["acme/cart"], result.Model.Services[1].Repositories);
        Assert.Equal("production", result.Model.Flow[1].Ends.Filters["environment"]);
        Assert.Equal(StageOwnerKind.ServiceOwner, result.Model.Flow[0].Owner.Kind);
    }

    [Fact]
    public void LoadText_FiveDifferentMistakes_ReportsFiveLocatedErrors()
    {
        var yaml = ModelText.Minimal
            .Replace("version: 1", "version: 3", StringComparison.Ordinal)
            .Replace("  - id: ops", "  - id: ops\n    typ: platform", StringComparison.Ordinal)
            .Replace("production: true", "production: yes", StringComparison.Ordinal)
            .Replace("owner: web", "owner: webb", StringComparison.Ordinal)
            .Replace("ends: change.merged", "ends: change", StringComparison.Ordinal);

        var result = ModelText.Load(yaml);

        Assert.Equal(
            [(1, 10), (6, 5), (9, 17), (16, 12), (23, 11)],
            result.Errors().Select(e => (e.Line, e.Column)));
        Assert.All(result.Errors(), e => Assert.Matches(@"^[^(]+ \(expected .+\)$", e.Message));
        Assert.Equal(5, result.Surprises().Count);
    }
}
