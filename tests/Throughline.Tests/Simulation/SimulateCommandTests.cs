using System.Net;
using System.Text;
using Throughline.Cli;
using Throughline.Simulation;
using Throughline.Tests.Cli;
using Throughline.Tests.Support;

namespace Throughline.Tests.Simulation;

public sealed class SimulateCommandTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("throughline-simulate-");

    public void Dispose() => _folder.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_folder.FullName, name);

    [Fact]
    public async Task Simulate_SeedOneTwice_IdenticalFilesAndAValidModel()
    {
        var first = await CliRun.RunAsync("simulate", "--seed", "1", "--days", "30", "--out", PathOf("a.jsonl"), "--model-out", PathOf("a.yaml"));
        var second = await CliRun.RunAsync("simulate", "--seed", "1", "--days", "30", "--out", PathOf("b.jsonl"), "--model-out", PathOf("b.yaml"));
        var validate = await CliRun.RunAsync("validate", PathOf("a.yaml"));

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Contains("over 30 days from 2026-01-05", first.Output, StringComparison.Ordinal);
        Assert.Contains("simulate: day 30 of 30", first.Error, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(PathOf("a.jsonl")), File.ReadAllBytes(PathOf("b.jsonl")));
        Assert.Equal(File.ReadAllText(PathOf("a.yaml")), File.ReadAllText(PathOf("b.yaml")));
        Assert.True(validate.ExitCode == 0, validate.Error);
    }

    [Fact]
    public async Task Simulate_BadOptions_Exit2NamesThem()
    {
        var tooFewTeams = await CliRun.RunAsync("simulate", "--teams", "3", "--out", PathOf("x.jsonl"));
        var badStart = await CliRun.RunAsync("simulate", "--start", "last tuesday", "--out", PathOf("x.jsonl"));
        var noOut = await CliRun.RunAsync("simulate");

        Assert.Equal(ExitCodes.Usage, tooFewTeams.ExitCode);
        Assert.Contains("--teams 3: expected 4 to 200", tooFewTeams.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, badStart.ExitCode);
        Assert.Contains("--start 'last tuesday' is not a date", badStart.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, noOut.ExitCode);
        Assert.False(File.Exists(PathOf("x.jsonl")));
    }

    [Fact]
    public async Task Simulate_BottleneckAndSelfApprovingTeam_WritesTheTruthBesideTheHistory()
    {
        var run = await CliRun.RunAsync(
            "simulate", "--days", "30", "--bottleneck", "review=6", "--self-approving-team", "storefront", "--out", PathOf("h.jsonl"));
        var plain = await CliRun.RunAsync("simulate", "--days", "30", "--out", PathOf("plain.jsonl"));

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains($"to {PathOf("h.truth.json")}.", run.Output, StringComparison.Ordinal);
        var truth = SimulationTruth.Parse(File.ReadAllText(PathOf("h.truth.json")));
        Assert.Equal(new SimulatedBottleneck("review", 6), truth.Bottleneck);
        Assert.Equal(("storefront", "qa-signoff", "qa"), (truth.SelfApproval!.Team, truth.SelfApproval.Stage, truth.SelfApproval.DeclaredApprover));
        var closed = File.ReadAllLines(PathOf("h.jsonl")).Select(HistoryEvent.Parse).Where(e => e.Type.StartsWith("dev.cdevents.ticket.closed.", StringComparison.Ordinal))
            .DistinctBy(e => e.Id).ToDictionary(e => e.SubjectId);
        Assert.NotEmpty(truth.SelfApproval.Approvals);
        Assert.All(truth.SelfApproval.Approvals, approval =>
        {
            Assert.Matches(@"^acme/[a-z]+#\d+$", approval.Change);
            Assert.Equal(approval.Approver, closed[approval.Ticket].CustomData!.Value.GetProperty("approver").GetString());
        });
        Assert.True(plain.ExitCode == 0, plain.Error);
        Assert.False(File.Exists(PathOf("plain.truth.json")));
        Assert.DoesNotContain("injected", plain.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_BadInjection_Exit2NamesTheValueAndWhatIsAccepted()
    {
        var unknownStage = await CliRun.RunAsync("simulate", "--bottleneck", "build=3", "--out", PathOf("x.jsonl"));
        var badFactor = await CliRun.RunAsync("simulate", "--bottleneck", "review=fast", "--out", PathOf("x.jsonl"));
        var tooSmall = await CliRun.RunAsync("simulate", "--bottleneck", "qa-signoff=0.5", "--out", PathOf("x.jsonl"));
        var unknownTeam = await CliRun.RunAsync("simulate", "--self-approving-team", "qa", "--out", PathOf("x.jsonl"));

        Assert.Equal(ExitCodes.Usage, unknownStage.ExitCode);
        Assert.Contains("--bottleneck 'build=3': unknown stage 'build' (expected review or qa-signoff", unknownStage.Error, StringComparison.Ordinal);
        Assert.Contains("--bottleneck 'review=fast': 'fast' is not a number", badFactor.Error, StringComparison.Ordinal);
        Assert.Contains("--bottleneck qa-signoff=0.5: expected a factor more than 1 and at most 100", tooSmall.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, unknownTeam.ExitCode);
        Assert.Contains("--self-approving-team qa: not a team whose services need QA sign-off (expected one of search-ranking, storefront, payments)", unknownTeam.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(PathOf("x.jsonl")));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task SimulatedEvents_AcceptedByTheApiAndByIngest(string provider)
    {
        await CliRun.RunAsync("simulate", "--seed", "2", "--days", "21", "--out", PathOf("h.jsonl"));
        var lines = File.ReadAllLines(PathOf("h.jsonl"));
        var distinct = lines.Select(HistoryEvent.Parse).DistinctBy(e => (e.Source, e.Id)).Count();
        await using var viaApi = await TestDatabase.CreateAsync(provider);
        await using var viaIngest = await TestDatabase.CreateAsync(provider);
        await using var server = await RunningServer.StartAsync(viaApi.Database);

        foreach (var chunk in lines.Chunk(1000))
        {
            using var response = await server.Client.PostAsync("/api/events",
                new StringContent(string.Join('\n', chunk), Encoding.UTF8, "application/x-ndjson"), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        var ingest = await CliRun.RunAsync("ingest", "--db", viaIngest.Database, PathOf("h.jsonl"));

        Assert.True(ingest.ExitCode == 0, ingest.Error);
        await using var apiStore = await viaApi.OpenStoreAsync();
        await using var ingestStore = await viaIngest.OpenStoreAsync();
        Assert.Equal(distinct, await apiStore.CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(distinct, await ingestStore.CountAsync(TestContext.Current.CancellationToken));
        Assert.Contains($"({lines.Length - distinct} duplicates, 0 unmapped)", ingest.Output, StringComparison.Ordinal);
    }
}
