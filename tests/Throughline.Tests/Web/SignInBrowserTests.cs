using Throughline.Access;
using Throughline.Tests.Support;

namespace Throughline.Tests.Web;

/// <summary>Signing in as a person does, in Chromium: the sign-in page, a session, a page refused to a viewer, signing out.</summary>
public sealed class SignInBrowserTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TokenForm_SignsInSeesTheBoardRefusedTheAuditThenSignsOut()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await RunningServer.StartAsync(database.Database, model: Simulated.Model(new Throughline.Simulation.SimulationOptions { Seed = 2, Days = 3 }));
        var viewer = await server.CreateTokenAsync(Role.Viewer, name: "Dana");
        await using var browser = await Browser.LaunchAsync();
        var (page, errors) = await browser.OpenAsync();

        await page.GotoAsync(new Uri(server.Address, "/value-stream").ToString());
        Assert.EndsWith("/sign-in?return=%2Fvalue-stream", page.Url, StringComparison.Ordinal);
        await page.FillAsync("#token", viewer);
        await page.ClickAsync("#sign-in-token");
        await page.WaitForURLAsync("**/value-stream");
        Assert.Equal("Value stream", await page.InnerTextAsync("h1"));
        Assert.Contains("Dana · viewer", await page.InnerTextAsync("header .session"), StringComparison.Ordinal);

        var refused = await page.GotoAsync(new Uri(server.Address, "/audit").ToString());
        Assert.Equal(403, refused!.Status);
        Assert.Equal("Not allowed", await page.InnerTextAsync("h1"));
        Assert.Contains("viewer", await page.InnerTextAsync("main"), StringComparison.Ordinal);

        await page.ClickAsync("#sign-out");
        await page.WaitForURLAsync("**/sign-in");
        await page.GotoAsync(server.Address.ToString());
        Assert.Contains("/sign-in", page.Url, StringComparison.Ordinal);
        await Browser.ScreenshotAsync(page, "sign-in");
        Assert.DoesNotContain(errors, e => !e.Contains("403", StringComparison.Ordinal)); // the refused page's own status is the only console note
        var audit = await (await server.Client.GetAsync("/api/audit", Cancel)).Content.ReadAsStringAsync(Cancel);
        Assert.Contains("\"action\":\"sign-in\"", audit, StringComparison.Ordinal);
        Assert.Contains("\"action\":\"sign-out\"", audit, StringComparison.Ordinal);
        Assert.Contains("may not admin", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongToken_TheFormSaysWhyAndNoSession()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await RunningServer.StartAsync(database.Database);
        await using var browser = await Browser.LaunchAsync();
        var (page, _) = await browser.OpenAsync();

        await page.GotoAsync(new Uri(server.Address, "/sign-in").ToString());
        await page.FillAsync("#token", "tl_abcdefgh_" + new string('C', 43));
        var answer = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("#sign-in-token"), r => r.Url.EndsWith("/sign-in", StringComparison.Ordinal) && r.Request.Method == "POST");

        Assert.Equal(401, answer.Status);
        Assert.Contains("is not known", await page.InnerTextAsync("p.note"), StringComparison.Ordinal);
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "throughline.session");
    }
}
