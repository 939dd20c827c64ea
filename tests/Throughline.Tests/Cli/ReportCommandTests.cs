using Throughline.Tests.Support;

namespace Throughline.Tests.Cli;

public sealed class ReportCommandTests
{
    private static readonly string ModelPath = Some.TestDataPath("dora/dora-worked-example.yaml");

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>A SQLite database holding two production deployments of checkout in May 2021, stored with <c>ingest</c>.</summary>
    private static async Task<TestDatabase> OldHistoryAsync()
    {
        var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        var file = Path.Combine(Path.GetDirectoryName(database.Database)!, "old.jsonl");
        await File.WriteAllLinesAsync(file, [Some.CdEvent(timestamp: "2021-05-03T10:00:00Z"), Some.CdEvent(timestamp: "2021-05-20T16:30:00Z")], Cancel);
        var ingest = await CliRun.RunAsync("ingest", "--db", database.Database, file);
        Assert.True(ingest.ExitCode == 0, ingest.Error);
        return database;
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task Report_EveryEventBeforeTheDefaultWindow_OneLineWithTheirSpanAndTheOptionsToSeeThem()
    {
        await using var database = await OldHistoryAsync();

        var run = await CliRun.RunAsync("report", "--db", database.Database);
        var suggested = await CliRun.RunAsync("report", "--db", database.Database, "--from", "2021-05-03", "--to", "2021-05-21");

        Assert.Equal(0, run.ExitCode);
        var line = Assert.Single(Lines(run.Error));
        Assert.StartsWith("throughline report: no event in the last 30 days (", line, StringComparison.Ordinal);
        Assert.Contains("the 2 events stored run from 2021-05-03 10:00 to 2021-05-20 16:30 UTC: try --from 2021-05-03 --to 2021-05-21", line, StringComparison.Ordinal);
        Assert.Contains("0 deployments", run.Output, StringComparison.Ordinal);
        Assert.True(suggested.ExitCode == 0 && suggested.Error.Length == 0, suggested.Error);
        Assert.Contains("2 deployments on 2 days", suggested.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_ExplicitWindowAfterTheEvents_SaysTheWindowAskedFor()
    {
        await using var database = await OldHistoryAsync();

        var run = await CliRun.RunAsync("report", "--db", database.Database, "--from", "2022-01-01", "--format", "json");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("throughline report: no event in the window asked for (2022-01-01 00:00 to ", Assert.Single(Lines(run.Error)), StringComparison.Ordinal);
        Assert.StartsWith("{", run.Output, StringComparison.Ordinal); // stdout stays the report, for scripts
    }

    [Fact]
    public async Task Report_EmptyDatabase_SaysSoAndHowToFillIt()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);

        var run = await CliRun.RunAsync("report", "--db", database.Database);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal($"throughline report: {database.Database} holds no events yet: store some with 'throughline ingest FILE' or send them to 'throughline serve'.",
            Assert.Single(Lines(run.Error)));
    }

    [Theory]
    [InlineData("--service", "chekout", "unknown service 'chekout' (expected one of: checkout; did you mean 'checkout'?)")]
    [InlineData("--team", "storefrnt", "unknown team 'storefrnt' (expected one of: storefront; did you mean 'storefront'?)")]
    [InlineData("--environment", "prodution", "unknown environment 'prodution' (expected one of: production; did you mean 'production'?)")]
    public async Task Report_UnknownScope_Exit2WithDidYouMean(string option, string value, string message)
    {
        await using var database = await OldHistoryAsync();

        var run = await CliRun.RunAsync("report", "--db", database.Database, "--model", ModelPath, "--from", "2021-05-01", option, value);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"throughline report: {message}", Assert.Single(Lines(run.Error)));
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task Report_UnknownServiceWithoutAModel_SuggestsTheServicesInTheData()
    {
        await using var database = await OldHistoryAsync();

        var run = await CliRun.RunAsync("report", "--db", database.Database, "--service", "chekout");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("did you mean 'checkout'?", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_Flow_PrintsTheOneFlowEfficiencyTheJsonCarries_InTheSameUnitsAsThePages()
    {
        var options = new Throughline.Simulation.SimulationOptions { Seed = 3, Days = 21 };
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        var model = Path.Combine(Path.GetDirectoryName(database.Database)!, "model.yaml");
        await File.WriteAllTextAsync(model, Throughline.Simulation.ModelWriter.Write(Throughline.Simulation.SimulatedOrganisation.Create(options), options), Cancel);
        await using (var store = await database.OpenStoreAsync())
        {
            await store.AppendAsync(await Simulated.EventsAsync(options, Cancel), DateTimeOffset.UtcNow, Cancel);
        }

        var window = new[] { "--from", options.Start.ToString("yyyy-MM-dd"), "--to", options.Start.AddDays(options.Days).ToString("yyyy-MM-dd") };
        var json = await CliRun.RunAsync(["report", "--db", database.Database, "--model", model, .. window, "--format", "json"]);
        var table = await CliRun.RunAsync(["report", "--db", database.Database, "--model", model, .. window]);

        var efficiency = System.Text.Json.JsonDocument.Parse(json.Output).RootElement.GetProperty("flow").GetProperty("efficiency");
        var overall = Throughline.Metrics.Readable.Percent(efficiency.GetProperty("overall").GetDouble());
        var median = Throughline.Metrics.Readable.Percent(efficiency.GetProperty("medianPerChange").GetDouble());
        Assert.Contains($"Flow efficiency: {overall} of the time {efficiency.GetProperty("changes").GetInt32()} delivered changes spent in the stages was work", table.Output, StringComparison.Ordinal);
        Assert.Contains($"the median change: {median}", table.Output, StringComparison.Ordinal);
        Assert.Matches(@"review\s+\d+\s+\d+(\.\d)? (min|h|days) /", table.Output);
        Assert.DoesNotContain("accepted, not used yet", table.Error, StringComparison.Ordinal);
        Assert.Contains($"{model}: ", table.Error, StringComparison.Ordinal);
        Assert.Contains($"warnings (fields accepted but not used yet, and the like); 'throughline validate {model}' lists them", table.Error, StringComparison.Ordinal);
    }
}
