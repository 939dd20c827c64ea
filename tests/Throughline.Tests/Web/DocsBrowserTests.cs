using System.Net;
using Microsoft.Playwright;
using Throughline.Tests.Support;

namespace Throughline.Tests.Web;

/// <summary>
/// The onboarding docs in Chromium against the real server with 30 simulated days (issue 20): the index, a service page and a team
/// page reached by their links, each Mermaid diagram drawn to an SVG by the vendored library, and no console error (a
/// Content-Security-Policy violation is one).
/// </summary>
public sealed class DocsBrowserTests(UiFixture ui) : IClassFixture<UiFixture>
{
    private string Url(string path) => new Uri(ui.Server.Address, path).ToString();

    [Fact]
    public async Task Docs_IndexThenAServiceAndATeam_DiagramsDrawnWithoutConsoleErrors()
    {
        var (page, errors) = await ui.Browser.OpenAsync();

        await page.GotoAsync(Url("/model"));
        var answer = await page.RunAndWaitForResponseAsync(() => page.Locator("main a[href='/docs']").ClickAsync(), Url("/docs"));
        Assert.Contains("script-src 'self'; style-src 'self' 'unsafe-inline';", await answer.HeaderValueAsync("content-security-policy") ?? "", StringComparison.Ordinal);
        Assert.Equal(Url("/docs"), page.Url);
        Assert.Equal("page", await page.Locator("nav a:text-is('Docs')").GetAttributeAsync("aria-current"));
        Assert.Equal(1, await page.Locator("h1").CountAsync());
        var linked = (await page.Locator("article.docs a[href^='/docs/']").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))")).ToHashSet();
        Assert.Equal(ui.Model.Services.Select(s => $"/docs/services/{s.Id}").Concat(ui.Model.Teams.Select(t => $"/docs/teams/{t.Id}")).ToHashSet(), linked);
        await DiagramsDrawnAsync(page);
        await Browser.ScreenshotAsync(page, "docs-index");

        var service = ui.Model.Services[0];
        await page.Locator($"article.docs a[href='/docs/services/{service.Id}']").First.ClickAsync();
        Assert.Equal(Url($"/docs/services/{service.Id}"), page.Url);
        Assert.Equal(service.Name ?? service.Id, await page.Locator("h1").InnerTextAsync());
        Assert.True(await page.Locator("pre.mermaid").CountAsync() > 0, "the service page has no diagram");
        await DiagramsDrawnAsync(page);
        await Browser.ScreenshotAsync(page, "docs-service");

        await page.Locator("article.docs a[href='/docs']").First.ClickAsync();
        var team = ui.Model.Teams[0];
        await page.Locator($"article.docs a[href='/docs/teams/{team.Id}']").First.ClickAsync();
        Assert.Equal(team.Name ?? team.Id, await page.Locator("h1").InnerTextAsync());
        await DiagramsDrawnAsync(page);
        await Browser.ScreenshotAsync(page, "docs-team");
        Assert.True(errors.Count == 0, string.Join("\n", errors.Distinct()));
    }

    [Fact]
    public async Task Docs_UnknownPage_NotFoundPageWithoutConsoleErrors()
    {
        var (page, errors) = await ui.Browser.OpenAsync();

        var response = await page.GotoAsync(Url("/docs/services/no-such-service"));

        Assert.Equal((int)HttpStatusCode.NotFound, response!.Status);
        Assert.Equal("Not found", await page.Locator("h1").InnerTextAsync());
        Assert.Contains("services/no-such-service.md", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        // Chromium logs a page answered with 4xx as a failed load; that one line is expected.
        Assert.Equal(["Failed to load resource: the server responded with a status of 404 (Not Found)"], errors);
    }

    [Fact]
    public async Task Docs_EveryPage_AnswersOkAndEachDiagramIsDrawn()
    {
        var (page, errors) = await ui.Browser.OpenAsync();
        await page.GotoAsync(Url("/docs"));
        var links = (await page.Locator("article.docs a[href^='/docs/']").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))")).Distinct().ToList();
        var drawn = await DiagramsDrawnAsync(page);

        foreach (var link in links)
        {
            var response = await page.GotoAsync(Url(link));
            Assert.True(response!.Ok, $"{link} answered {response.Status}");
            drawn += await DiagramsDrawnAsync(page);
        }

        Assert.Equal(ui.Model.Services.Count + ui.Model.Teams.Count, links.Count);
        Assert.True(drawn > ui.Model.Services.Count, $"only {drawn} diagrams drawn on {links.Count + 1} pages");
        Assert.True(errors.Count == 0, string.Join("\n", errors.Distinct()));
    }

    [Fact]
    public async Task Docs_NamesCarryingMarkupAndQuotes_ShownAsTextAndTheDiagramDrawn()
    {
        var text = Throughline.Tests.Diagnostics.History.ModelText
            .Replace("teams: [{id: web}", "teams: [{id: web, name: \"Web <img src=x> ] *team*\"}", StringComparison.Ordinal)
            .Replace("{id: checkout, owner: web", "{id: checkout, name: \"Check \\\"out\\\" <script>alert(1)</script>\", owner: web", StringComparison.Ordinal)
            .Replace("{id: review, owner", "{id: review, name: \"Code \\\"review\\\" <b>now</b> --> [x]\", owner", StringComparison.Ordinal);
        var model = Throughline.Model.OperatingModelLoader.LoadText(text, "hostile.yaml").Model!;
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await RunningServer.StartAsync(database.Database, model: model);
        var token = ui.Browser.Token;
        ui.Browser.Token = server.AdminToken; // a page sends the token it was opened with
        var (page, errors) = await ui.Browser.OpenAsync();
        ui.Browser.Token = token;

        await page.GotoAsync(new Uri(server.Address, "/docs/services/checkout").ToString());
        var drawn = await DiagramsDrawnAsync(page);

        Assert.Equal("Check \"out\" <script>alert(1)</script>", await page.Locator("h1").InnerTextAsync());
        Assert.True(drawn > 0, "no diagram drawn");
        Assert.Contains("Code \"review\" <b>now</b> --> [x]", await page.Locator("pre.mermaid svg").First.TextContentAsync() ?? "", StringComparison.Ordinal);
        Assert.Contains("Web <img src=x> ] *team*", await page.Locator("article.docs").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("article.docs img, article.docs script, article.docs b").CountAsync());
        await Browser.ScreenshotAsync(page, "docs-injected");
        Assert.True(errors.Count == 0, string.Join("\n", errors.Distinct()));
    }

    /// <summary>Waits until Mermaid has drawn every diagram of the page to an SVG, none its error picture and each with a size; how many.</summary>
    private static async Task<int> DiagramsDrawnAsync(IPage page)
    {
        var blocks = page.Locator("pre.mermaid");
        var count = await blocks.CountAsync();
        if (count == 0)
        {
            return 0;
        }

        await page.WaitForFunctionAsync("n => document.querySelectorAll('pre.mermaid > svg').length === n", count);
        Assert.Equal(0, await page.Locator("pre.mermaid svg[aria-roledescription='error']").CountAsync());
        Assert.All(await blocks.Locator("svg").EvaluateAllAsync<double[]>("svgs => svgs.map(s => s.getBBox().width)"), width => Assert.True(width > 0));
        return count;
    }
}
