using System.Net.Http.Json;
using System.Text.Json;
using Throughline.Model;
using Throughline.Tests.Support;
using Throughline.Web.Auth;

namespace Throughline.Tests.Web;

/// <summary>
/// Signing in to the UI through a real OpenID Connect provider (OpenIddict, in the test) with ASP.NET Core's handler, in
/// Chromium: the code flow with PKCE, groups mapped to a role, the person matched to the model's people and so to a team.
/// </summary>
public sealed class OidcSignInTests
{
    private const string ClientSecret = "relying-party-secret";

    private static readonly OidcUser Ben = new("ben", "ben-password", "Ben Okafor", "ben@example.com", ["developers"]);
    private static readonly OidcUser Ana = new("ana", "ana-password", "Ana Lima", "ana@example.com", ["developers", "platform"]);
    private static readonly OidcUser Eve = new("eve", "eve-password", "Eve Contractor", "eve@contractor.example", ["contractors"]);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Chromium_ViewerSignsInSeesTheBoardAndIsRefusedTheAuditAdminSeesIt()
    {
        await using var provider = await OidcProvider.StartAsync([Ben, Ana]);
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        var model = Simulated.Model(new Throughline.Simulation.SimulationOptions { Seed = 3, Days = 3 });
        var team = model.Teams[0].Id;
        model = model with { People = [.. model.People, new Person("ben", team, [new ToolIdentity(Person.SignInTool, Ben.Email)])] };
        await using var server = await StartAsync(provider, database, model, viewerGroups: []);
        await using var browser = await Browser.LaunchAsync();

        var (page, errors) = await browser.OpenAsync();
        await SignInAsync(page, server, Ben);
        Assert.Equal("Release board", await page.InnerTextAsync("h1"));
        Assert.Equal($"Ben Okafor · viewer · {team}", await page.InnerTextAsync("header .session .who"));
        await Browser.ScreenshotAsync(page, "signed-in-through-provider");
        var refused = await page.GotoAsync(new Uri(server.Address, "/audit").ToString());
        Assert.Equal(403, refused!.Status);
        Assert.Equal("Not allowed", await page.InnerTextAsync("h1"));
        Assert.DoesNotContain(errors, e => !e.Contains("403", StringComparison.Ordinal));

        var (admin, _) = await browser.OpenAsync();
        await SignInAsync(admin, server, Ana);
        var audit = await admin.GotoAsync(new Uri(server.Address, "/audit").ToString());
        Assert.Equal(200, audit!.Status);
        Assert.Contains("Ben Okafor (signed in)", await admin.InnerTextAsync("table.audit"), StringComparison.Ordinal);
        Assert.Equal(["ben", "ana"], provider.SignIns);

        var lines = await server.Client.GetFromJsonAsync<JsonElement>("/api/audit", Cancel);
        var signIns = lines.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("action").GetString() == "sign-in").ToList();
        Assert.Equal(["Ana Lima (signed in): role admin", "Ben Okafor (signed in): role viewer"],
            signIns.Select(i => $"{i.GetProperty("actor").GetString()}: {i.GetProperty("outcome").GetString()}"));
    }

    [Fact]
    public async Task Chromium_PersonOutsideTheViewerGroups_SignedInButRefusedEveryPage()
    {
        await using var provider = await OidcProvider.StartAsync([Eve]);
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await StartAsync(provider, database, null, viewerGroups: ["developers"]);
        await using var browser = await Browser.LaunchAsync();
        var (page, _) = await browser.OpenAsync();

        await page.GotoAsync(new Uri(server.Address, "/sign-in/provider?return=%2F").ToString());
        await page.FillAsync("#username", Eve.UserName);
        await page.FillAsync("#password", Eve.Password);
        var board = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("#sign-in"), r => r.Url == server.Address.ToString());

        Assert.Equal(403, board.Status);
        Assert.Contains("role none", await page.InnerTextAsync("main"), StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_ProviderClaimsThatLookLikeOurs_DroppedAndAnUnverifiedEmailNamesNobody()
    {
        var settings = new OidcSettings(new Uri("https://login.example.com/"), "throughline", null, "groups", ["platform"], [], []);
        var model = Simulated.Model(new Throughline.Simulation.SimulationOptions { Seed = 3, Days = 3 });
        model = model with { People = [new Person("ana", model.Teams[0].Id, [new ToolIdentity(Person.SignInTool, "ana@example.com")])] };
        var forged = new System.Security.Claims.ClaimsIdentity(
            [new("name", "Mallory"), new("groups", "developers"), new("throughline:role", "admin"), new("email", "ana@example.com"), new("email_verified", "false")],
            "test", "name", "throughline:role");

        SignInProvider.Describe(forged, settings, model);
        var caller = Caller.Of(new System.Security.Claims.ClaimsPrincipal(forged));

        Assert.Equal(Throughline.Access.Role.Viewer, caller.Role);
        Assert.Null(caller.Person);
        Assert.Empty(caller.Teams);
    }

    private static async Task<RunningServer> StartAsync(OidcProvider provider, TestDatabase database, OperatingModel? model, IReadOnlyList<string> viewerGroups)
    {
        var oidc = new OidcSettings(provider.Authority, "throughline", ClientSecret, OidcSettings.DefaultGroupsClaim, ["platform"], [], viewerGroups);
        var server = await RunningServer.StartAsync(database.Database, model: model, access: new AccessSettings(Oidc: oidc));
        await provider.RegisterClientAsync(new OidcClient(
            "throughline", ClientSecret, [new Uri(server.Address, "/sign-in/callback")], [new Uri(server.Address, "/sign-out/callback")]));
        return server;
    }

    /// <summary>Opens the board signed out, follows the sign-in page's provider button, and signs in at the provider's form.</summary>
    private static async Task SignInAsync(Microsoft.Playwright.IPage page, RunningServer server, OidcUser user)
    {
        await page.GotoAsync(server.Address.ToString());
        Assert.Contains("/sign-in?return=", page.Url, StringComparison.Ordinal);
        await page.ClickAsync("#sign-in-provider");
        await page.WaitForSelectorAsync("#username");
        Assert.StartsWith(provider(page), page.Url, StringComparison.Ordinal);
        await page.FillAsync("#username", user.UserName);
        await page.FillAsync("#password", user.Password);
        await page.ClickAsync("#sign-in");
        await page.WaitForURLAsync(server.Address.ToString());

        static string provider(Microsoft.Playwright.IPage page) => new Uri(page.Url).GetLeftPart(UriPartial.Authority);
    }
}
