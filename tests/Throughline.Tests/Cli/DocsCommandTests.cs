using System.Text.Json;
using System.Text.RegularExpressions;
using Throughline.Metrics;

namespace Throughline.Tests.Cli;

/// <summary><c>throughline docs</c> on a simulated organisation (the demo's: 8 services, 6 teams), stored with <c>ingest</c>.</summary>
public sealed partial class DocsCommandTests : IAsyncLifetime
{
    private const string End = "2026-02-14";
    private const string Start = "2026-01-15";
    private SimulatedFolder _organisation = default!;

    private string PathOf(string name) => _organisation.PathOf(name);

    private string Database => _organisation.Database;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _organisation = await SimulatedFolder.CreateAsync("throughline-docs-", "--days", "40");

    public ValueTask DisposeAsync() => _organisation.DisposeAsync();

    [GeneratedRegex(@"\]\(([^)\s]+\.md)\)")]
    private static partial Regex MarkdownLink();

    [Fact]
    public async Task Docs_WritesAnIndexAPagePerServiceAndTeam_WhoseLinksAllResolve()
    {
        var run = await CliRun.RunAsync("docs", "--db", Database, "--model", PathOf("m.yaml"), "--to", End, "--out", PathOf("out"));

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.StartsWith($"Wrote an index, 8 service pages and 6 team pages to {PathOf("out")} (observed {Start} 00:00 to {End} 00:00 UTC)", run.Output, StringComparison.Ordinal);
        var files = Directory.GetFiles(PathOf("out"), "*.md", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(PathOf("out"), f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(15, files.Count);
        Assert.Equal("index.md", files[0]);
        Assert.Equal(8, files.Count(f => f.StartsWith("services/", StringComparison.Ordinal)));
        foreach (var file in files)
        {
            var text = await File.ReadAllTextAsync(PathOf("out/" + file), Cancel);
            Assert.Single(text.Split('\n'), l => l.StartsWith("# ", StringComparison.Ordinal)); // one title
            foreach (Match link in MarkdownLink().Matches(text))
            {
                var target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(PathOf("out/" + file))!, link.Groups[1].Value));
                Assert.True(File.Exists(target), $"{file} links {link.Groups[1].Value}, which was not written");
            }
        }
    }

    [Fact]
    public async Task Docs_ServicePage_StatesEachStagesWaitingAsTheFlowMetricsDo_AndThePeopleToAsk()
    {
        var docs = await CliRun.RunAsync("docs", "--db", Database, "--model", PathOf("m.yaml"), "--to", End, "--out", PathOf("out"), "--service", "checkout");
        var report = await CliRun.RunAsync("report", "--db", Database, "--model", PathOf("m.yaml"), "--from", Start, "--to", End, "--service", "checkout", "--format", "json");

        Assert.True(docs.ExitCode == 0 && report.ExitCode == 0, docs.Error + report.Error);
        Assert.StartsWith("Wrote an index, 1 service page and 0 team pages", docs.Output, StringComparison.Ordinal);
        var page = await File.ReadAllTextAsync(PathOf("out/services/checkout.md"), Cancel);
        using var flow = JsonDocument.Parse(report.Output);
        var stages = flow.RootElement.GetProperty("flow").GetProperty("stages").EnumerateArray().ToList();
        Assert.Equal(5, stages.Count);
        foreach (var stage in stages)
        {
            var name = stage.GetProperty("name").ValueKind == JsonValueKind.String ? stage.GetProperty("name").GetString()! : stage.GetProperty("stage").GetString()!;
            var waiting = Readable.Hours(stage.GetProperty("waiting").GetProperty("medianHours").GetDouble());
            var working = Readable.Hours(stage.GetProperty("working").GetProperty("medianHours").GetDouble());
            var row = Assert.Single(page.Split('\n'), l => l.StartsWith($"| {name} | ", StringComparison.Ordinal));
            Assert.Contains($" | {waiting} | {working} | {stage.GetProperty("changes").GetInt32()} |", row, StringComparison.Ordinal);
        }

        // The people to contact are the model's: storefront owns checkout (fatima, gus, hana, ivan); QA signs off (sara, tom, uma).
        Assert.Contains("Owner: [Storefront](../teams/storefront.md): fatima (github:fatima, jira:fatima, sso:fatima@acme.example), gus (", page, StringComparison.Ordinal);
        Assert.Contains("Ask [Quality assurance](../teams/qa.md): sara, tom, uma.", page, StringComparison.Ordinal);
        Assert.Contains("```mermaid\nflowchart LR\n", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Docs_WithoutAModel_UsesTheLastOneAServerPutInForce_ElseSaysToGiveOne()
    {
        var none = await CliRun.RunAsync("docs", "--db", Database, "--to", End, "--out", PathOf("none"));
        await using (var store = await Throughline.Storage.EventStoreFactory.OpenAsync(Database, Cancel))
        {
            await store.RecordModelVersionAsync(await File.ReadAllTextAsync(PathOf("m.yaml"), Cancel), "hash-1", DateTimeOffset.UtcNow, "file m.yaml", Cancel);
        }

        var stored = await CliRun.RunAsync("docs", "--db", Database, "--to", End, "--out", PathOf("stored"), "--team", "qa");

        Assert.Equal(1, none.ExitCode);
        Assert.Contains($"throughline docs: no --model given, and {Database} holds no model version a server put in force: give --model throughline.yaml", none.Error, StringComparison.Ordinal);
        Assert.True(stored.ExitCode == 0, stored.Error);
        Assert.Contains("throughline docs: using model version 1 (file m.yaml, ", stored.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(PathOf("stored/teams/qa.md")));
    }

    [Theory]
    [InlineData("--service", "chekout", "throughline docs: --service 'chekout' is not in the model (expected one of: ")]
    [InlineData("--team", "qaa", "throughline docs: --team 'qaa' is not in the model (expected one of: ")]
    public async Task Docs_UnknownServiceOrTeam_Exit2NamingThem(string option, string value, string message)
    {
        var run = await CliRun.RunAsync("docs", "--db", Database, "--model", PathOf("m.yaml"), "--out", PathOf("out"), option, value);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(message, run.Error.Split('\n').Single(l => l.StartsWith("throughline docs:", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.False(Directory.Exists(PathOf("out")));
    }
}
