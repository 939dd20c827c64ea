using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Throughline.Simulation;
using Throughline.Tests.Support;
using Throughline.Timeline;

namespace Throughline.Tests.Web;

/// <summary>
/// The Diagnostics page and the value stream's "What to fix next" panel in Chromium, on 60 simulated days with a review bottleneck
/// (review waiting × 6) and storefront signing off its own changes; the server's clock stopped at the history's end.
/// </summary>
public sealed class DiagnosticsBrowserTests : IAsyncLifetime
{
    private static readonly DateTimeOffset End = new(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);
    private static readonly SimulationOptions Options = new()
    {
        Seed = 1,
        Days = 60,
        Start = End.AddDays(-60),
        Bottleneck = new SimulatedBottleneck("review", 6),
        SelfApprovingTeam = "storefront",
    };

    private TestDatabase? _database;
    private RunningServer? _server;
    private Browser? _browser;

    private string Url(string path) => new Uri(_server!.Address, path).ToString();

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using (var store = await _database.OpenStoreAsync())
        {
            await store.AppendAsync(await Simulated.EventsAsync(Options, CancellationToken.None), End, CancellationToken.None);
        }

        _server = await RunningServer.StartAsync(_database.Database, builder => builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(End)), Simulated.Model(Options));
        await _server.Services.GetRequiredService<TimelineProjection>().CatchUpAsync(CancellationToken.None); // the stopped clock holds the updater
        _browser = await Browser.LaunchAsync();
        _browser.Token = _server.AdminToken;
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task DiagnosticsPage_RanksHalveReviewFirst_ListsTheSelfApprovals_AndTheValueStreamPanelFollows()
    {
        var (page, errors) = await _browser!.OpenAsync();

        // Before any diagnosis, the value stream says the advice is being computed (and starts it) rather than waiting for it.
        await page.GotoAsync(Url("/value-stream"));
        var panel = page.Locator("section.fix-next");
        Assert.Equal("What to fix next", await panel.Locator("h2").InnerTextAsync());

        await page.Locator("nav a:text-is('Diagnostics')").ClickAsync();
        Assert.Equal("Diagnostics", await page.Locator("h1").InnerTextAsync());
        Assert.Equal("page", await page.Locator("nav a:text-is('Diagnostics')").GetAttributeAsync("aria-current"));
        var scenarios = await page.Locator("table.fix-next-table tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.scenario)");
        Assert.Equal("halve review waiting", scenarios[0]);
        Assert.DoesNotContain("automate review", scenarios);
        Assert.Equal(7, await page.Locator("table.warning-signs tbody tr").CountAsync());
        Assert.Equal(7, await page.Locator("table.warning-signs tbody td.num:first-of-type").CountAsync());
        var approvals = page.Locator("table.outside-approvals tbody tr");
        Assert.True(await approvals.CountAsync() > 100, "fewer self-approvals than the simulator wrote");
        Assert.Equal("storefront", await approvals.First.Locator("td").Nth(3).InnerTextAsync());
        await Browser.ScreenshotAsync(page, "diagnostics-injected");

        var change = await approvals.First.Locator("a[href^='/changes/']").InnerTextAsync();
        await approvals.First.Locator("a[href^='/changes/']").ClickAsync();
        Assert.Contains(change, await page.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);

        // The diagnosis is kept now: the panel shows its top three, halve review waiting first.
        await page.GotoAsync(Url("/value-stream"));
        var rows = await page.Locator("section.fix-next tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.scenario)");
        Assert.Equal(3, rows.Length);
        Assert.Equal("halve review waiting", rows[0]);
        await Browser.ScreenshotAsync(page, "value-stream-fix-next");
        Assert.Empty(errors);
    }
}
