using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Throughline.Tests.Support;

namespace Throughline.Tests.Web;

/// <summary>GET /api/diagnostics through the real host, on the demo's simulated organisation (90 days).</summary>
public sealed class DiagnosticsApiTests(SimulatedFlowFixture demo) : IClassFixture<SimulatedFlowFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private Task<JsonElement> GetAsync(string path) => demo.Server.Client.GetFromJsonAsync<JsonElement>(path, Cancel);

    [Fact]
    public async Task Diagnostics_RanksTheScenariosByGain_AndKeepsTheAnswerUntilNewEventsArrive()
    {
        var answer = await GetAsync("/api/diagnostics?trials=300");
        var again = await GetAsync("/api/diagnostics?trials=300");

        var diagnosis = answer.GetProperty("diagnosis");
        var whatIf = diagnosis.GetProperty("whatIf");
        var gains = whatIf.GetProperty("scenarios").EnumerateArray().Select(s => s.GetProperty("gainHours").GetDouble()).ToList();
        Assert.True(gains.Count >= 5, whatIf.ToString());
        Assert.Equal(gains.OrderDescending(), gains);
        Assert.Equal(300, whatIf.GetProperty("trials").GetInt32());
        Assert.Equal(SimulatedFlowFixture.End.AddMinutes(1), diagnosis.GetProperty("to").GetDateTimeOffset()); // the last 30 days, to the next minute
        Assert.Equal(["github", "actions", "argocd", "jira", "pagerduty"], diagnosis.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("tool").GetString()));
        Assert.True(diagnosis.GetProperty("eventsRead").GetInt32() > 10_000, diagnosis.GetProperty("eventsRead").ToString());
        Assert.True(diagnosis.GetProperty("missingChecks").GetProperty("merged").GetInt32() > 100);
        Assert.Equal(answer.GetProperty("computedAt").GetDateTimeOffset(), again.GetProperty("computedAt").GetDateTimeOffset()); // kept, not replayed
        Assert.False(again.GetProperty("refreshing").GetBoolean());
        Assert.Equal(diagnosis.ToString(), again.GetProperty("diagnosis").ToString());
    }

    [Fact]
    public async Task Diagnostics_SameSeed_SameAdvice_OtherSeed_OtherDraws()
    {
        var one = (await GetAsync("/api/diagnostics?trials=200&seed=7&service=checkout")).GetProperty("diagnosis").GetProperty("whatIf");
        var other = (await GetAsync("/api/diagnostics?trials=200&seed=8&service=checkout")).GetProperty("diagnosis").GetProperty("whatIf");
        var cli = (await GetAsync("/api/diagnostics?trials=200&seed=7&service=checkout&from=" + Uri.EscapeDataString(SimulatedFlowFixture.End.AddDays(-30).AddMinutes(1).ToString("O"))))
            .GetProperty("diagnosis").GetProperty("whatIf");

        Assert.Equal(7, one.GetProperty("seed").GetInt32());
        Assert.NotEqual(one.GetProperty("baseline").ToString(), other.GetProperty("baseline").ToString());
        Assert.Equal(one.GetProperty("baseline").ToString(), cli.GetProperty("baseline").ToString()); // the same window asked another way
    }

    [Theory]
    [InlineData("trials=0", "trials", "'trials' is 0: expected 1 to 100,000")]
    [InlineData("from=yesterday", "from", "'from'")]
    [InlineData("service=chekout", "service", "did you mean 'checkout'?")]
    public async Task Diagnostics_BadQuestion_400NamingTheParameter(string query, string parameter, string detail)
    {
        using var response = await demo.Server.Client.GetAsync("/api/diagnostics?" + query, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Contains(parameter, problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diagnostics_WithoutAModel_404SaysHowToGiveOne()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await RunningServer.StartAsync(database.Database);
        await TimelineCatchUp.AwaitAsync(server);

        using var response = await server.Client.GetAsync("/api/diagnostics", Cancel);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("--model", (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Diagnostics_ARefusedDeliveryCountsAgainstItsTool(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await RunningServer.StartAsync(database.Database, model: Hooks.Model());
        var body = Hooks.Fixture("github/push/payload.json");
        await Hooks.PostAsync(server, "github", body, ("X-GitHub-Event", "push"), ("X-GitHub-Delivery", "good-1"));
        using var forged = Hooks.Request("github", body, ("X-GitHub-Event", "push"), ("X-GitHub-Delivery", "forged-1"));
        forged.Headers.Remove("X-Hub-Signature-256");
        forged.Headers.TryAddWithoutValidation("X-Hub-Signature-256", "sha256=" + new string('0', 64));
        using var refused = await server.Client.SendAsync(forged, Cancel);
        await TimelineCatchUp.AwaitAsync(server);

        var tools = (await server.Client.GetFromJsonAsync<JsonElement>("/api/diagnostics?trials=1", Cancel)).GetProperty("diagnosis").GetProperty("tools");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var github = tools.EnumerateArray().Single(t => t.GetProperty("tool").GetString() == "github");
        Assert.Equal(1, github.GetProperty("refusedDeliveries").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, github.GetProperty("lastEventAt").ValueKind); // the good delivery was stored and counted as github's
        Assert.All(tools.EnumerateArray().Where(t => t.GetProperty("tool").GetString() != "github"), t => Assert.Equal(0, t.GetProperty("refusedDeliveries").GetInt32()));
    }
}
