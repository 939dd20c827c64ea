using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Throughline.Tests.Support;

namespace Throughline.Tests.Web;

/// <summary>
/// The test identity provider on its own, without Throughline: discovery, the authorization code flow with PKCE driven
/// over plain HTTP, and the id_token, userinfo and sign-out a relying party relies on.
/// </summary>
public sealed partial class OidcProviderTests
{
    // Nothing listens there: the tests read the redirect instead of following it.
    private static readonly Uri RedirectUri = new("http://127.0.0.1:65001/signin-oidc");
    private static readonly Uri PostLogoutRedirectUri = new("http://127.0.0.1:65001/signout-callback-oidc");
    private static readonly OidcClient Client = new("throughline", "client-secret-for-tests", [RedirectUri], [PostLogoutRedirectUri]);
    private static readonly OidcUser Ada = new("ada", "correct horse battery staple", "Ada Lovelace", "ada@example.test", ["throughline-admins", "platform"]);
    private static readonly OidcUser Grace = new("grace", "another good password", "Grace Hopper", "grace@example.test", ["platform"]);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static Task<OidcProvider> StartAsync() => OidcProvider.StartAsync(Client, [Ada, Grace]);

    [Fact]
    public async Task Discovery_NamesTheEndpointsBelowTheIssuer()
    {
        await using var provider = await StartAsync();
        using var http = new HttpClient { BaseAddress = provider.Authority };

        var discovery = await http.GetFromJsonAsync<JsonElement>(".well-known/openid-configuration", Cancel);
        var keys = await http.GetFromJsonAsync<JsonElement>(discovery.GetProperty("jwks_uri").GetString(), Cancel);

        string Named(string property) => discovery.GetProperty(property).GetString()!;
        IEnumerable<string?> Listed(string property) => discovery.GetProperty(property).EnumerateArray().Select(item => item.GetString());
        Assert.Equal(provider.Authority.AbsoluteUri, Named("issuer"));
        Assert.Equal(new Uri(provider.Authority, "connect/authorize").AbsoluteUri, Named("authorization_endpoint"));
        Assert.Equal(new Uri(provider.Authority, "connect/token").AbsoluteUri, Named("token_endpoint"));
        Assert.Equal(new Uri(provider.Authority, "connect/userinfo").AbsoluteUri, Named("userinfo_endpoint"));
        Assert.Equal(new Uri(provider.Authority, "connect/endsession").AbsoluteUri, Named("end_session_endpoint"));
        Assert.Equal(["code"], Listed("response_types_supported"));
        Assert.Equal(["S256"], Listed("code_challenge_methods_supported"));
        Assert.Superset(new HashSet<string?> { "openid", "profile", "email", "groups" }, Listed("scopes_supported").ToHashSet());
        Assert.Contains(keys.GetProperty("keys").EnumerateArray(), key => key.GetProperty("use").GetString() == "sig");
    }

    [Fact]
    public async Task AuthorizationCodeWithPkce_SignedIdTokenCarriesTheUser()
    {
        await using var provider = await StartAsync();
        using var agent = new UserAgent(provider);
        var codeVerifier = UserAgent.NewCodeVerifier();

        using var formPage = await agent.AuthorizeAsync(UserAgent.ChallengeFor(codeVerifier), state: "state-42", nonce: "nonce-42");
        using var signedIn = await agent.SignInAsync(formPage, Ada.UserName, Ada.Password);
        using var authorized = await agent.FollowAsync(signedIn);
        var callback = UserAgent.CallbackParameters(authorized);
        var (status, tokens) = await agent.RedeemAsync(callback["code"].ToString(), codeVerifier);

        Assert.Equal(HttpStatusCode.OK, formPage.StatusCode);
        Assert.Equal("state-42", callback["state"].ToString());
        Assert.Equal(provider.Authority.AbsoluteUri, callback["iss"].ToString());
        Assert.Equal(HttpStatusCode.OK, status);
        var idToken = await ValidateIdTokenAsync(provider, tokens.GetProperty("id_token").GetString()!);
        Assert.Equal(Ada.Subject, idToken.Subject);
        Assert.Equal("nonce-42", idToken.GetClaim("nonce").Value);
        Assert.Equal(Ada.Name, idToken.GetClaim("name").Value);
        Assert.Equal(Ada.UserName, idToken.GetClaim("preferred_username").Value);
        Assert.Equal(Ada.Email, idToken.GetClaim("email").Value);
        Assert.Equal(Ada.Groups, idToken.Claims.Where(claim => claim.Type == "groups").Select(claim => claim.Value));
        Assert.Equal(["ada"], provider.SignIns);
    }

    [Fact]
    public async Task IdToken_SingleGroup_IsOneGroupsClaim()
    {
        await using var provider = await StartAsync();
        using var agent = new UserAgent(provider);
        var codeVerifier = UserAgent.NewCodeVerifier();

        var callback = await agent.SignInForCodeAsync(Grace, codeVerifier);
        var (_, tokens) = await agent.RedeemAsync(callback["code"].ToString(), codeVerifier);

        var idToken = new JsonWebToken(tokens.GetProperty("id_token").GetString());
        using var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(idToken.EncodedPayload));
        Assert.Equal(JsonValueKind.String, payload.RootElement.GetProperty("groups").ValueKind); // JWT serialization: an array only from two
        Assert.Equal(["platform"], idToken.Claims.Where(claim => claim.Type == "groups").Select(claim => claim.Value));
    }

    [Fact]
    public async Task UserInfo_WithTheAccessToken_AnswersTheSameClaims()
    {
        await using var provider = await StartAsync();
        using var agent = new UserAgent(provider);
        var codeVerifier = UserAgent.NewCodeVerifier();
        var callback = await agent.SignInForCodeAsync(Ada, codeVerifier);
        var (_, tokens) = await agent.RedeemAsync(callback["code"].ToString(), codeVerifier);
        using var request = new HttpRequestMessage(HttpMethod.Get, "connect/userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("access_token").GetString());

        using var response = await agent.SendAsync(request);
        var claims = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Ada.Subject, claims.GetProperty("sub").GetString());
        Assert.Equal(Ada.Name, claims.GetProperty("name").GetString());
        Assert.Equal(Ada.Email, claims.GetProperty("email").GetString());
        Assert.Equal(Ada.Groups, claims.GetProperty("groups").EnumerateArray().Select(group => group.GetString()));
    }

    [Fact]
    public async Task EndSession_ReturnsToTheClient_AndTheNextAuthorizationAsksForThePassword()
    {
        await using var provider = await StartAsync();
        using var agent = new UserAgent(provider);
        var codeVerifier = UserAgent.NewCodeVerifier();
        var callback = await agent.SignInForCodeAsync(Ada, codeVerifier);
        var (_, tokens) = await agent.RedeemAsync(callback["code"].ToString(), codeVerifier);
        using var stillSignedIn = await agent.AuthorizeAsync(UserAgent.ChallengeFor(codeVerifier));

        using var signedOut = await agent.GetAsync("connect/endsession" + QueryString.Create(new Dictionary<string, string?>
        {
            ["id_token_hint"] = tokens.GetProperty("id_token").GetString(),
            ["post_logout_redirect_uri"] = PostLogoutRedirectUri.AbsoluteUri,
            ["state"] = "bye",
        }));
        using var afterwards = await agent.AuthorizeAsync(UserAgent.ChallengeFor(codeVerifier));

        Assert.Equal(HttpStatusCode.Redirect, stillSignedIn.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal(PostLogoutRedirectUri.AbsoluteUri + "?state=bye", signedOut.Headers.Location?.AbsoluteUri);
        Assert.Equal(HttpStatusCode.OK, afterwards.StatusCode);
        Assert.Contains("id=\"sign-in\"", await afterwards.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    /// <summary>Checks the signature against the provider's published keys, the issuer and the audience, as a relying party does.</summary>
    private static async Task<JsonWebToken> ValidateIdTokenAsync(OidcProvider provider, string idToken)
    {
        using var http = new HttpClient { BaseAddress = provider.Authority };
        var discovery = await http.GetFromJsonAsync<JsonElement>(".well-known/openid-configuration", Cancel);
        var keys = new JsonWebKeySet(await http.GetStringAsync(discovery.GetProperty("jwks_uri").GetString(), Cancel));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(idToken, new TokenValidationParameters
        {
            ValidIssuer = provider.Authority.AbsoluteUri,
            ValidAudience = Client.ClientId,
            IssuerSigningKeys = keys.GetSigningKeys(),
        });
        Assert.True(result.IsValid, result.Exception?.ToString());
        return (JsonWebToken)result.SecurityToken;
    }
}
