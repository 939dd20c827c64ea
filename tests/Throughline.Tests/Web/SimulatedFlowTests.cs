using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Throughline.Tests.Web;

/// <summary>The flow figures a new user reads in the demo: waiting for review, one efficiency, team views, a board that signals.</summary>
public sealed partial class SimulatedFlowTests(SimulatedFlowFixture demo) : IClassFixture<SimulatedFlowFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private Task<JsonElement> GetAsync(string path) => demo.Server.Client.GetFromJsonAsync<JsonElement>(path, Cancel);

    private static JsonElement Stage(JsonElement flow, string id) => flow.GetProperty("stages").EnumerateArray().Single(s => s.GetProperty("stage").GetString() == id);

    [Fact]
    public async Task Review_WaitsHoursForTheFirstReviewer()
    {
        var flow = await GetAsync("/api/metrics/flow");

        var review = Stage(flow, "review");
        var waiting = review.GetProperty("waiting").GetProperty("medianHours").GetDouble();
        Assert.True(review.GetProperty("changes").GetInt32() > 100, review.ToString());
        Assert.InRange(waiting, 1, 48);
        Assert.True(review.GetProperty("flowEfficiency").GetDouble() < 0.9, review.ToString());
        Assert.Contains(review.GetProperty("queue").EnumerateArray(), p => p.GetProperty("waiting").GetInt32() > 0);
    }

    [Fact]
    public async Task ValueStreamPage_ShowsTheApisFlowEfficiency()
    {
        var efficiency = (await GetAsync("/api/metrics/flow")).GetProperty("efficiency");
        var page = await demo.Server.Client.GetStringAsync("/value-stream", Cancel);

        var line = ValueLine().Match(page);
        Assert.True(line.Success, "no flow efficiency line on the value stream page");
        Assert.Equal(Percent(efficiency.GetProperty("overall").GetDouble()), line.Groups["overall"].Value);
        Assert.Equal(Percent(efficiency.GetProperty("medianPerChange").GetDouble()), line.Groups["median"].Value);
        Assert.InRange(efficiency.GetProperty("overall").GetDouble(), 0.05, 0.8);
    }

    [Fact]
    public async Task TeamFilter_BoardShowsTheCardsTheTeamHolds()
    {
        var board = await GetAsync("/api/board?team=qa");
        var page = await demo.Server.Client.GetStringAsync("/?team=qa", Cancel);

        var cards = board.GetProperty("services").EnumerateArray().SelectMany(s => s.GetProperty("inFlight").EnumerateArray()).ToList();
        Assert.NotEmpty(cards);
        Assert.All(cards, c => Assert.Equal("qa", c.GetProperty("team").GetString()));
        Assert.Equal(cards.Count, CardCount().Matches(page).Count);
    }

    [Fact]
    public async Task TeamFilter_FlowOfInfraIsTheStagesItHolds()
    {
        var flow = await GetAsync("/api/metrics/flow?team=infra");

        Assert.True(Stage(flow, "production").GetProperty("changes").GetInt32() > 0, flow.ToString());
        Assert.True(Stage(flow, "staging").GetProperty("changes").GetInt32() > 0);
        Assert.Equal(0, Stage(flow, "review").GetProperty("changes").GetInt32());
        Assert.Contains(flow.GetProperty("handoffs").EnumerateArray(), h => h.GetProperty("toTeam").GetString() == "infra");
        Assert.Contains(flow.GetProperty("handoffs").EnumerateArray(), h => h.GetProperty("fromTeam").GetString() == "infra");
        Assert.True(flow.GetProperty("efficiency").GetProperty("changes").GetInt32() > 0);
    }

    [Fact]
    public async Task Board_FlagsFewerThanAQuarterOfTheCards()
    {
        var board = await GetAsync("/api/board");

        var cards = board.GetProperty("services").EnumerateArray().SelectMany(s => s.GetProperty("inFlight").EnumerateArray()).ToList();
        var flagged = cards.Count(c => c.GetProperty("overdue").GetBoolean());
        Assert.True(cards.Count > 20, $"only {cards.Count} cards");
        var byStage = string.Join(", ", cards.Where(c => c.GetProperty("overdue").GetBoolean())
            .GroupBy(c => $"{c.GetProperty("stage")}/{c.GetProperty("changeId").GetString()!.Split('#')[0]}").Select(g => $"{g.Key}: {g.Count()}"));
        Assert.True(flagged * 4 < cards.Count, $"{flagged} of {cards.Count} cards flagged ({byStage}); usual: {board.GetProperty("usualWaitHours")}");
        Assert.Equal(flagged, board.GetProperty("queues").EnumerateArray().Sum(q => q.GetProperty("flagged").GetInt32()));
    }

    [Fact]
    public async Task Board_DeploymentBadgeOpensItsPage_WithItsChangesAndIncidents()
    {
        var page = await demo.Server.Client.GetStringAsync("/", Cancel);
        var badge = DeploymentLink().Match(page);
        Assert.True(badge.Success, "no deployment badge links to a deployment page");

        using var response = await demo.Server.Client.GetAsync(System.Net.WebUtility.HtmlDecode(badge.Groups["href"].Value), Cancel);
        var deployment = await response.Content.ReadAsStringAsync(Cancel);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Changes delivered", deployment, StringComparison.Ordinal);
        Assert.Contains("Incidents attributed", deployment, StringComparison.Ordinal);
        Assert.Matches("class=\"badge (healthy|verifying|failed|incident-open|rolled-back)\"", deployment);
        Assert.DoesNotContain("%3A", deployment, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FlowEvidence_EachFigureListsTheChangesBehindIt()
    {
        var flow = await GetAsync("/api/metrics/flow");
        var review = Stage(flow, "review");
        var busiest = review.GetProperty("queue").EnumerateArray().MaxBy(p => p.GetProperty("waiting").GetInt32());
        var at = Uri.EscapeDataString(Throughline.Web.Pages.InsightPages.Instant(busiest.GetProperty("at").GetDateTimeOffset()));

        var efficiency = await demo.Server.Client.GetStringAsync("/value-stream/evidence?figure=efficiency", Cancel);
        var stage = await demo.Server.Client.GetStringAsync("/value-stream/evidence?stage=review", Cancel);
        var queue = await demo.Server.Client.GetStringAsync($"/value-stream/evidence?stage=review&at={at}", Cancel);
        var valueStream = await demo.Server.Client.GetStringAsync("/value-stream", Cancel);

        Assert.Equal(Math.Min(500, flow.GetProperty("efficiency").GetProperty("changes").GetInt32()), EvidenceRow().Matches(efficiency).Count);
        Assert.Equal(Math.Min(500, review.GetProperty("changes").GetInt32()), EvidenceRow().Matches(stage).Count);
        Assert.Equal(busiest.GetProperty("waiting").GetInt32(), EvidenceRow().Matches(queue).Count);
        Assert.Contains($"/value-stream/evidence?stage=review&amp;at={at}", valueStream, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FlowEvidence_UnknownStage_400NamingTheStages()
    {
        using var response = await demo.Server.Client.GetAsync("/value-stream/evidence?stage=reveiw", Cancel);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("review, build, staging, qa-signoff, production", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    private static string Percent(double rate) => Throughline.Web.Pages.Display.Percent(rate);

    [GeneratedRegex("""data-figure="efficiency">Flow efficiency: <strong>(?<overall>[^<]+)</strong>.*?the median change: <strong>(?<median>[^<]+)</strong>""", RegexOptions.Singleline)]
    private static partial Regex ValueLine();

    [GeneratedRegex("""<a class="badge [a-z-]+" href="(?<href>/deployments/[^"]+)""")]
    private static partial Regex DeploymentLink();

    [GeneratedRegex("""<tr data-change=""")]
    private static partial Regex EvidenceRow();

    [GeneratedRegex("""<li class="card[^"]*" data-change=""")]
    private static partial Regex CardCount();
}
