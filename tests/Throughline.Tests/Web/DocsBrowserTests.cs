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
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

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
    public async Task Docs_EveryPageTheIndexLinks_AnswersOk()
    {
        using var index = await ui.Server.Client.GetAsync("/docs", Cancel);
        var html = await index.Content.ReadAsStringAsync(Cancel);

        var links = System.Text.RegularExpressions.Regex.Matches(html, "href=\"(/docs/[^\"]+)\"").Select(m => m.Groups[1].Value).Distinct().ToList();

        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Equal(ui.Model.Services.Count + ui.Model.Teams.Count, links.Count(l => l.StartsWith("/docs/services/", StringComparison.Ordinal) || l.StartsWith("/docs/teams/", StringComparison.Ordinal)));
        foreach (var link in links)
        {
            using var response = await ui.Server.Client.GetAsync(link, Cancel);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{link} answered {(int)response.StatusCode}");
        }
    }

    /// <summary>Waits until Mermaid has drawn every diagram of the page to an SVG (it marks each block <c>data-processed</c>) and none is its error picture.</summary>
    private static async Task DiagramsDrawnAsync(IPage page)
    {
        var blocks = page.Locator("pre.mermaid");
        var count = await blocks.CountAsync();
        if (count == 0)
        {
            return;
        }

        await page.WaitForFunctionAsync("n => document.querySelectorAll('pre.mermaid > svg').length === n", count);
        Assert.Equal(0, await page.Locator("pre.mermaid svg[aria-roledescription='error']").CountAsync());
        Assert.All(await blocks.Locator("svg").EvaluateAllAsync<double[]>("svgs => svgs.map(s => s.getBBox().width)"), width => Assert.True(width > 0));
    }
}
