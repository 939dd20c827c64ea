using System.Net;

namespace Throughline.Tests.Web;

public sealed partial class OidcProviderTests
{
    [Fact]
    public async Task SignIn_WrongPassword_ShowsTheFormAgainWithoutCode()
    {
        await using var provider = await StartAsync();
        using var agent = new UserAgent(provider);

        using var formPage = await agent.AuthorizeAsync(UserAgent.ChallengeFor(UserAgent.NewCodeVerifier()));
        using var refused = await agent.SignInAsync(formPage, Ada.UserName, "not the password");
        var html = await refused.Content.ReadAsStringAsync(Cancel);
        using var retried = await agent.SignInAsync(refused, Ada.UserName, Ada.Password);

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Null(refused.Headers.Location);
        Assert.Contains("Wrong user name or password.", html, StringComparison.Ordinal);
        Assert.Contains("id=\"password\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("code=", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, retried.StatusCode); // the form shown again still continues the same request
        Assert.Equal(["ada"], provider.SignIns);
    }

    [Fact]
    public async Task Token_CodeReplayed_IsRefused()
    {
        await using var provider = await StartAsync();
        using var agent = new UserAgent(provider);
        var codeVerifier = UserAgent.NewCodeVerifier();
        var code = (await agent.SignInForCodeAsync(Ada, codeVerifier))["code"].ToString();

        var (firstStatus, _) = await agent.RedeemAsync(code, codeVerifier);
        var (replayStatus, replay) = await agent.RedeemAsync(code, codeVerifier);

        Assert.Equal(HttpStatusCode.OK, firstStatus);
        Assert.Equal(HttpStatusCode.BadRequest, replayStatus);
        Assert.Equal("invalid_grant", replay.GetProperty("error").GetString());
        Assert.False(replay.TryGetProperty("id_token", out _));
    }

    [Fact]
    public async Task Token_WrongCodeVerifier_IsRefused()
    {
        await using var provider = await StartAsync();
        using var agent = new UserAgent(provider);
        var code = (await agent.SignInForCodeAsync(Ada, UserAgent.NewCodeVerifier()))["code"].ToString();

        var (status, answer) = await agent.RedeemAsync(code, UserAgent.NewCodeVerifier());

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", answer.GetProperty("error").GetString());
        Assert.False(answer.TryGetProperty("id_token", out _));
    }

    [Fact]
    public async Task Token_WrongClientSecret_IsRefused()
    {
        await using var provider = await StartAsync();
        using var agent = new UserAgent(provider);
        var codeVerifier = UserAgent.NewCodeVerifier();
        var code = (await agent.SignInForCodeAsync(Ada, codeVerifier))["code"].ToString();

        var (status, answer) = await agent.RedeemAsync(code, codeVerifier, clientSecret: "not-the-secret");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("invalid_client", answer.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Authorize_WithoutPkce_IsRefusedAtTheProvider()
    {
        await using var provider = await StartAsync();
        using var agent = new UserAgent(provider);

        using var response = await agent.AuthorizeAsync(codeChallenge: null);

        // OpenIddict checks the client's PKCE requirement before it trusts the redirect URI, so it answers itself.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("code_challenge", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Empty(provider.SignIns);
    }

    [Fact]
    public async Task Authorize_PromptNoneWithoutSession_SendsTheClientLoginRequired()
    {
        await using var provider = await StartAsync();
        using var agent = new UserAgent(provider);

        using var response = await agent.AuthorizeAsync(UserAgent.ChallengeFor(UserAgent.NewCodeVerifier()), state: "silent", prompt: "none");

        var callback = UserAgent.CallbackParameters(response);
        Assert.Equal("login_required", callback["error"].ToString());
        Assert.Equal("silent", callback["state"].ToString());
        Assert.False(callback.ContainsKey("code"));
    }
}
