using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Throughline.Tests.Support;

namespace Throughline.Tests.Web;

/// <summary>The pages in a real headless Chromium against the real server with simulated data. Screenshots land in bin/.../screenshots.</summary>
public sealed partial class BrowserTests(UiFixture ui) : IClassFixture<UiFixture>
{
    private static readonly string[] Pages = ["/", "/value-stream", "/metrics-dashboard", "/metrics-dashboard/evidence?metric=changeLeadTime", "/diagnostics", "/model"];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private string Url(string path) => new Uri(ui.Server.Address, path).ToString();

    private async Task<JsonElement> BoardAsync() => await ui.Server.Client.GetFromJsonAsync<JsonElement>("/api/board", Cancel);

    private async Task PostAsync(string ndjson)
    {
        using var response = await ui.Server.Client.PostAsync("/api/events", new StringContent(ndjson, Encoding.UTF8, "application/x-ndjson"), Cancel);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
    }

    private async Task WaitForChangeAsync(string id)
    {
        await TimelineCatchUp.AwaitAsync(ui.Server);
        using var response = await ui.Server.Client.GetAsync($"/api/changes/{Uri.EscapeDataString(id)}", Cancel);
        Assert.True(response.IsSuccessStatusCode, $"change {id} is not in the timeline once it caught up: {(int)response.StatusCode}");
    }

    private static string Event(string id, string type, string subject, string content, string custom = "{}") =>
        $$"""{"context": {"specversion": "0.5.1", "id": "{{id}}", "source": "/browser-test", "type": "dev.cdevents.{{type}}", "timestamp": "{{DateTimeOffset.UtcNow:O}}"}, "subject": {"id": "{{subject}}", "content": {{content}}}, "customData": {{custom}}}""";

    [Fact]
    public async Task EveryPage_RendersWithoutConsoleErrors_AndIsPhotographed()
    {
        var change = (await BoardAsync()).GetProperty("services").EnumerateArray().SelectMany(s => s.GetProperty("inFlight").EnumerateArray()).First().GetProperty("changeId").GetString()!;
        var (page, errors) = await ui.Browser.OpenAsync();

        foreach (var (path, name) in Pages.Select(p => (p, p == "/" ? "board" : p.Split('?')[0].Trim('/').Replace('/', '-'))).Append(($"/changes/{Uri.EscapeDataString(change)}", "change")))
        {
            var response = await page.GotoAsync(Url(path));
            Assert.True(response!.Ok, $"{path} answered {response.Status}");
            Assert.Equal(1, await page.Locator("h1").CountAsync());
            Assert.Equal(1, await page.Locator("main").CountAsync());
            await Browser.ScreenshotAsync(page, name);
        }

        var (phone, phoneErrors) = await ui.Browser.OpenAsync(390, 844);
        await phone.GotoAsync(Url("/"));
        await Browser.ScreenshotAsync(phone, "board-phone");
        Assert.Empty(errors);
        Assert.Empty(phoneErrors);
        Assert.True(File.Exists(Path.Combine(Browser.ScreenshotFolder, "board.png")));
    }

    [Fact]
    public async Task Metrics_NumberLinksToTheItemsBehindIt()
    {
        var (page, errors) = await ui.Browser.OpenAsync();
        await page.GotoAsync(Url("/metrics-dashboard"));
        var charts = await page.Locator("canvas").CountAsync();

        await page.Locator("a[href*='evidence?metric=changeLeadTime']").First.ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/metrics-dashboard/evidence", StringComparison.Ordinal));
        var changeLink = page.Locator("main a[href^='/changes/']").First;
        var href = await changeLink.GetAttributeAsync("href");
        await changeLink.ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/changes/", StringComparison.Ordinal));

        Assert.True(charts >= 5, $"only {charts} charts");
        Assert.Contains("Change ", await page.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);
        Assert.StartsWith("/changes/", href, StringComparison.Ordinal);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Board_CardsSitInTheirCurrentStageColumn_TheLongestWaitingFirst()
    {
        var lanes = (await BoardAsync()).GetProperty("services").EnumerateArray()
            .SelectMany(s => s.GetProperty("inFlight").EnumerateArray().Select(c => (Service: s.GetProperty("service").GetString()!, Stage: c.GetProperty("stage").GetString() ?? "", Change: c.GetProperty("changeId").GetString()!)))
            .GroupBy(c => (c.Service, c.Stage))
            .ToList();
        var (page, _) = await ui.Browser.OpenAsync();

        await page.GotoAsync(Url("/"));

        Assert.True(lanes.Sum(l => l.Count()) > 3, "fewer than 4 cards in flight");
        foreach (var lane in lanes)
        {
            var selector = $"section[data-service=\"{lane.Key.Service}\"] .lane[data-stage=\"{lane.Key.Stage}\"]";
            var shown = await page.Locator(selector + " li[data-change]").EvaluateAllAsync<string[]>("cards => cards.map(c => c.dataset.change)");
            Assert.Equal(lane.Take(8).Select(c => c.Change), shown);
            Assert.Equal(lane.Count() > 8 ? 1 : 0, await page.Locator(selector + $" a.more:text-is('+{lane.Count() - 8} more')").CountAsync());
        }
    }

    [Fact]
    public async Task Board_NewEventMovesTheCardLiveWithoutReload()
    {
        var (page, errors) = await ui.Browser.OpenAsync();
        await page.GotoAsync(Url("/"));
        var card = page.Locator(".lane[data-stage=\"review\"] li[data-change]").First;
        var change = await card.GetAttributeAsync("data-change");
        var service = await card.Locator("xpath=ancestor::section[1]").GetAttributeAsync("data-service");
        await page.EvaluateAsync("() => window.__loadedOnce = true");

        await PostAsync(Event("live-merge-" + Guid.NewGuid().ToString("N"), "change.merged.0.3.0", change!, """{"repository": {"id": "x"}}"""));

        var moved = page.Locator($"section[data-service=\"{service}\"] .lane[data-stage=\"build\"] li[data-change=\"{change}\"]");
        await moved.WaitForAsync(new LocatorWaitForOptions { Timeout = 10_000 });
        Assert.True(await page.EvaluateAsync<bool>("() => window.__loadedOnce === true"), "the page was reloaded");
        Assert.Equal(0, await page.Locator($".lane[data-stage=\"review\"] li[data-change=\"{change}\"]").CountAsync());
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Board_TeamFilterShowsTheCardsThatTeamHolds()
    {
        var team = ui.Model.Flow.Single(s => s.Id == "qa-signoff").Owner.Kind == Throughline.Model.StageOwnerKind.Team
            ? ui.Model.Flow.Single(s => s.Id == "qa-signoff").Owner.Name
            : ui.Model.Responsibilities["approve-production"];
        var held = (await ui.Server.Client.GetFromJsonAsync<JsonElement>($"/api/board?team={team}", Cancel)).GetProperty("services").EnumerateArray()
            .SelectMany(s => s.GetProperty("inFlight").EnumerateArray()).Select(c => c.GetProperty("changeId").GetString()!).Order().ToList();
        var (page, _) = await ui.Browser.OpenAsync();
        await page.GotoAsync(Url("/"));

        await page.GetByLabel("Team").SelectOptionAsync(team);
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("team=" + team, StringComparison.Ordinal));

        var shown = (await page.Locator("li[data-change]").EvaluateAllAsync<string[]>("cards => cards.map(c => c.dataset.change)")).Order().ToList();
        var holders = await page.Locator("li[data-change] .meta:has-text('held by')").AllInnerTextsAsync();
        Assert.NotEmpty(held);
        Assert.Equal(held, shown);
        Assert.All(holders, text => Assert.StartsWith($"held by {team} ", text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Model_FlowDiagramKeepsEachArrowWithItsStage_OnAPhone()
    {
        var (page, errors) = await ui.Browser.OpenAsync(390, 844);

        await page.GotoAsync(Url("/model"));

        var tops = await page.Locator(".flow-diagram > li").EvaluateAllAsync<double[]>("items => items.map(i => i.getBoundingClientRect().top)");
        Assert.True(tops.Length >= 3, $"{tops.Length} stages drawn");
        Assert.All(tops, top => Assert.Equal(tops[0], top));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task ValueStream_QueueChartDraws_AndTheEfficiencyLinksToTheChangesBehindIt()
    {
        var efficiency = (await ui.Server.Client.GetFromJsonAsync<JsonElement>("/api/metrics/flow", Cancel)).GetProperty("efficiency");
        var (page, errors) = await ui.Browser.OpenAsync();
        await page.GotoAsync(Url("/value-stream"));
        await Assertions.Expect(page.Locator("#queue-chart")).ToBeVisibleAsync();
        var days = await page.Locator(".queue-table tbody tr").CountAsync();

        await page.Locator("[data-figure=efficiency] a[href*='figure=efficiency']").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/value-stream/evidence", StringComparison.Ordinal));

        Assert.InRange(days, 30, 32);
        Assert.Equal(Math.Min(efficiency.GetProperty("changes").GetInt32(), 500), await page.Locator("tr[data-change]").CountAsync());
        Assert.Empty(errors);
    }

    [Fact]
    public async Task ToolStrings_WithScriptAndMarkup_ShowLiterallyAndNeverRun()
    {
        const string Title = "<script>window.__xss = 1</script><img src=x onerror=\"window.__xss = 2\"> & \"quotes\"";
        const string Author = "<b onmouseover=alert(1)>mallory</b>";
        var id = "acme/checkout#" + Guid.NewGuid().ToString("N")[..8];
        await PostAsync(Event("xss-" + id, "change.created.0.4.0", id, """{"repository": {"id": "acme/checkout"}}""",
            JsonSerializer.Serialize(new { title = Title, author = Author })));
        await WaitForChangeAsync(id);
        var (page, errors) = await ui.Browser.OpenAsync();

        await page.GotoAsync(Url($"/changes/{Uri.EscapeDataString(id)}"));
        var changeText = await page.Locator("main").InnerTextAsync();
        await page.GotoAsync(Url("/"));
        await page.Locator($"li[data-change=\"{id}\"]").WaitForAsync(new LocatorWaitForOptions { Timeout = 10_000 });
        var cardText = await page.Locator($"li[data-change=\"{id}\"]").InnerTextAsync();
        var ran = await page.EvaluateAsync<JsonElement?>("() => window.__xss ?? null");

        Assert.Contains(Title, changeText, StringComparison.Ordinal);
        Assert.Contains(Author, changeText, StringComparison.Ordinal);
        Assert.Contains("<script>window.__xss = 1</script>", cardText, StringComparison.Ordinal);
        Assert.True(ran is null || ran.Value.ValueKind == JsonValueKind.Null, "injected script ran");
        Assert.Equal(0, await page.Locator("main img[src=x]").CountAsync());
        Assert.Empty(errors);
        await Browser.ScreenshotAsync(page, "board-with-injection-attempt");
    }

    [Fact]
    public async Task Keyboard_FirstTabReachesSkipLinkThenNavigation()
    {
        var (page, _) = await ui.Browser.OpenAsync();
        await page.GotoAsync(Url("/"));

        await page.Keyboard.PressAsync("Tab");
        var first = await page.EvaluateAsync<string>("() => document.activeElement.textContent.trim()");
        await page.Keyboard.PressAsync("Tab");
        var second = await page.EvaluateAsync<string>("() => document.activeElement.textContent.trim()");

        Assert.Equal("Skip to content", first);
        Assert.Equal("Release board", second);
        Assert.Equal(1, await page.Locator("nav[aria-label=Main]").CountAsync());
    }
}
