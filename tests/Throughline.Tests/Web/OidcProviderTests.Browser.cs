using System.Net;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Playwright;
using Throughline.Tests.Support;

namespace Throughline.Tests.Web;

public sealed partial class OidcProviderTests
{
    /// <summary>
    /// The login form in Chromium over plain HTTP, answered with form_post as ASP.NET's OpenID Connect handler asks by
    /// default; Playwright stands in for the relying party's callback, so no client server is needed.
    /// </summary>
    [Fact]
    public async Task Chromium_SignsInThroughTheForm_AndPostsTheCodeToTheClient()
    {
        await using var provider = await StartAsync();
        await using var browser = await Browser.LaunchAsync();
        var (page, errors) = await browser.OpenAsync();
        var codeVerifier = UserAgent.NewCodeVerifier();
        await page.RouteAsync(RedirectUri.AbsoluteUri, route => route.FulfillAsync(new RouteFulfillOptions
        {
            ContentType = "text/html",
            Body = "<!doctype html><title>Client</title><link rel=\"icon\" href=\"data:,\"><h1>Client</h1>",
        }));

        await page.GotoAsync(UserAgent.AuthorizationUri(provider, UserAgent.ChallengeFor(codeVerifier), state: "state-7", responseMode: "form_post").AbsoluteUri);
        await Browser.ScreenshotAsync(page, "oidc-provider-login");
        await page.FillAsync("#username", Ada.UserName);
        await page.FillAsync("#password", Ada.Password);

        // The request itself, not WaitForURL: its wait for "load" missed the fulfilled page about one run in ten.
        var callback = await page.RunAndWaitForRequestAsync(() => page.ClickAsync("#sign-in"), RedirectUri.AbsoluteUri);
        var posted = QueryHelpers.ParseQuery(callback.PostData);
        using var agent = new UserAgent(provider);
        var (status, _) = await agent.RedeemAsync(posted["code"].ToString(), codeVerifier);
        var session = (await page.Context.CookiesAsync()).Single(cookie => cookie.Name == OidcProvider.SessionCookieName);

        Assert.Equal("POST", callback.Method);
        Assert.Equal("state-7", posted["state"].ToString());
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["ada"], provider.SignIns);
        Assert.Equal("127.0.0.1", session.Domain);
        Assert.False(session.Secure);
        Assert.Equal(SameSiteAttribute.Lax, session.SameSite);
        Assert.Empty(errors);
    }
}
