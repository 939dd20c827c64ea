using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Throughline.Tests.Cli;
using Throughline.Tests.Support;

namespace Throughline.Tests.Timeline;

public sealed class ChangesApiTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static string Event(string id, string type, DateTimeOffset at, string subject, string content, string? chain = null, string custom = "{}") => $$"""
        {"context": {"specversion": "0.5.0", "id": "{{id}}", "source": "/test", "type": "dev.cdevents.{{type}}", "timestamp": "{{at:O}}"{{(chain is null ? "" : $", \"chainId\": \"{chain}\"")}}},
         "subject": {"id": "{{subject}}", "content": {{content}}}, "customData": {{custom}}}
        """.ReplaceLineEndings(" ");

    /// <summary>A change through review, build, staging, QA and production, hours after a start a week ago.</summary>
    private static string Journey(DateTimeOffset start, string change, string artifact, bool toProduction = true)
    {
        DateTimeOffset H(double hours) => start.AddHours(hours);
        var repo = """{"repository": {"id": "acme/checkout"}}""";
        var lines = new List<string>
        {
            Event("bootstrap-" + change, "service.deployed.0.3.0", H(-100), "checkout", """{"environment": {"id": "production"}, "artifactId": "a0"}"""),
            Event(change + "-created", "change.created.0.4.0", H(0), change, repo, "chain-" + change, """{"author": "alice", "title": "Faster checkout"}"""),
            Event(change + "-reviewed", "change.reviewed.0.3.0", H(2), change, repo),
            Event(change + "-merged", "change.merged.0.3.0", H(3), change, repo, custom: """{"mergeCommitSha": "abc123"}"""),
            Event(change + "-run", "pipelinerun.started.0.3.0", H(3.5), "run-1", """{"pipelineName": "ci"}""", custom: """{"commitSha": "abc123"}"""),
            Event(change + "-packaged", "artifact.packaged.0.3.0", H(4), artifact, "{\"change\": {\"id\": \"" + change + "\"}}"),
            Event(change + "-staging", "service.deployed.0.3.0", H(4.5), "checkout", $$"""{"environment": {"id": "staging"}, "artifactId": "{{artifact}}"}"""),
            Event(change + "-ticket", "ticket.created.0.2.0", H(5), "QA-1", $$"""{"summary": "sign-off", "labels": ["artifact:{{artifact}}"]}"""),
            Event(change + "-ticket-closed", "ticket.closed.0.2.0", H(8), "QA-1", $$"""{"summary": "sign-off", "labels": ["artifact:{{artifact}}"]}"""),
        };
        if (toProduction)
        {
            lines.Add(Event(change + "-prod", "service.deployed.0.3.0", H(10), "checkout", $$"""{"environment": {"id": "production"}, "artifactId": "{{artifact}}"}"""));
        }

        return string.Join('\n', lines);
    }

    internal static async Task PostAsync(HttpClient client, string ndjson)
    {
        using var response = await client.PostAsync("/api/events", new StringContent(ndjson, Encoding.UTF8, "application/x-ndjson"), Cancel);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    /// <summary>The change as the API shows it once the server's timeline has read everything posted.</summary>
    internal static async Task<JsonElement> ChangeAsync(RunningServer server, string id)
    {
        await TimelineCatchUp.AwaitAsync(server);
        using var response = await server.Client.GetAsync($"/api/changes/{Uri.EscapeDataString(id)}", Cancel);
        Assert.True(response.IsSuccessStatusCode, $"change {id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Cancel)}");
        return await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Change_ThroughEveryStage_ShowsStagesDeploymentsAndEvents(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await RunningServer.StartAsync(database.Database, model: Facts.Model());
        await PostAsync(server.Client, Journey(DateTimeOffset.UtcNow.AddDays(-7), "acme/checkout#42", "a42"));

        var change = await ChangeAsync(server, "acme/checkout#42");

        Assert.Equal("delivered", change.GetProperty("state").GetString());
        Assert.Equal(("alice", "Faster checkout", 10.0), (change.GetProperty("author").GetString(), change.GetProperty("title").GetString(), change.GetProperty("leadTimeHours").GetDouble()));
        var stages = change.GetProperty("stages").EnumerateArray().ToList();
        Assert.Equal(["review", "build", "staging", "qa-signoff", "production"], stages.Select(s => s.GetProperty("stageId").GetString()));
        Assert.All(stages, s => Assert.Equal("done", s.GetProperty("status").GetString()));
        Assert.Equal(["web", "platform", "infra", "qa", "infra"], stages.Select(s => s.GetProperty("team").GetString()));
        Assert.Equal([3.0, 0.5, 0.0, 3.0, 0.0], stages.Select(s => Math.Round(s.GetProperty("workingHours").GetDouble(), 3)));
        Assert.Equal([0.0, 0.5, 0.5, 0.5, 2.0], stages.Select(s => Math.Round(s.GetProperty("waitingHours").GetDouble(), 3)));
        Assert.Equal([false, true, true, true, true], stages.Select(s => s.GetProperty("handoff").GetBoolean()));
        Assert.Equal(["production", "staging"], change.GetProperty("deployments").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(9, change.GetProperty("events").GetArrayLength());
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Board_ListsInFlightChangesWithTheirHolders(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await RunningServer.StartAsync(database.Database, model: Facts.Model());
        await PostAsync(server.Client, Journey(DateTimeOffset.UtcNow.AddDays(-3), "acme/checkout#1", "a1"));
        await PostAsync(server.Client, Journey(DateTimeOffset.UtcNow.AddHours(-9), "acme/checkout#2", "a2", toProduction: false));
        await TimelineCatchUp.AwaitAsync(server);

        var board = await server.Client.GetFromJsonAsync<JsonElement>("/api/board", Cancel);
        var list = await server.Client.GetFromJsonAsync<JsonElement>("/api/changes?state=in-flight&service=checkout", Cancel);

        var checkout = board.GetProperty("services").EnumerateArray().Single(s => s.GetProperty("service").GetString() == "checkout");
        var card = Assert.Single(checkout.GetProperty("inFlight").EnumerateArray());
        Assert.Equal(("acme/checkout#2", "production", "infra", "waiting"), (card.GetProperty("changeId").GetString(), card.GetProperty("stage").GetString(), card.GetProperty("team").GetString(), card.GetProperty("status").GetString()));
        Assert.InRange(card.GetProperty("waitedHours").GetDouble(), 0.9, 1.1);
        Assert.Equal(JsonValueKind.Null, card.GetProperty("usualWaitHours").ValueKind); // one earlier stay: too little history to judge
        Assert.False(card.GetProperty("overdue").GetBoolean());
        Assert.Equal("healthy", checkout.GetProperty("latestProductionDeployments")[0].GetProperty("health").GetString());
        Assert.Equal(1, list.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Rebuild_PrintsTheDigestTheServerShows()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        string digest;
        await using (var server = await RunningServer.StartAsync(database.Database, model: Facts.Model()))
        {
            await PostAsync(server.Client, Journey(DateTimeOffset.UtcNow.AddDays(-2), "acme/checkout#5", "a5"));
            await TimelineCatchUp.AwaitAsync(server);
            digest = (await server.Client.GetFromJsonAsync<JsonElement>("/api/timeline", Cancel)).GetProperty("digest").GetString()!;
        }

        var modelPath = Path.Combine(Path.GetDirectoryName(database.Database)!, "test-model.yaml");
        File.WriteAllText(modelPath, Facts.ModelText());
        var rebuild = await CliRun.RunAsync("rebuild", "--db", database.Database, "--model", modelPath);
        var missing = await CliRun.RunAsync("rebuild", "--db", database.Database);

        Assert.True(rebuild.ExitCode == 0, rebuild.Error);
        Assert.Contains($"digest       {digest}", rebuild.Output, StringComparison.Ordinal);
        Assert.Contains("changes      1: 0 open, 0 merged, 1 delivered", rebuild.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(digest, missing.Output, StringComparison.Ordinal); // another model, another mapping
    }

    [Fact]
    public async Task Change_Unknown_404AndBadQuery_400()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await RunningServer.StartAsync(database.Database);

        using var missing = await server.Client.GetAsync("/api/changes/" + Uri.EscapeDataString("acme/none#1"), Cancel);
        using var badState = await server.Client.GetAsync("/api/changes?state=lost", Cancel);

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("acme/none#1", await missing.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badState.StatusCode);
    }

    [Fact]
    public async Task Change_CreatedWithOnlyADescription_TitledByIt_UntilAnExplicitTitleArrives()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await RunningServer.StartAsync(database.Database, model: Facts.Model());
        var start = DateTimeOffset.UtcNow.AddHours(-3);
        var repo = """{"repository": {"id": "acme/checkout"}, "description": "Pay with one click"}""";

        await PostAsync(server.Client, Event("d-created", "change.created.0.4.0", start, "acme/checkout#7", repo));
        await TimelineCatchUp.AwaitAsync(server);
        var described = await server.Client.GetFromJsonAsync<JsonElement>("/api/changes/acme%2Fcheckout%237", Cancel);
        await PostAsync(server.Client, Event("d-merged", "change.merged.0.3.0", start.AddHours(1), "acme/checkout#7", repo, custom: """{"title": "One-click payment"}"""));
        await TimelineCatchUp.AwaitAsync(server);
        var titled = await server.Client.GetFromJsonAsync<JsonElement>("/api/changes/acme%2Fcheckout%237", Cancel);

        Assert.Equal("Pay with one click", described.GetProperty("title").GetString());
        Assert.Equal("One-click payment", titled.GetProperty("title").GetString());
    }
}
