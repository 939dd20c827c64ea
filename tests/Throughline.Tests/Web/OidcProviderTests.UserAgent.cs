using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Throughline.Tests.Support;

namespace Throughline.Tests.Web;

public sealed partial class OidcProviderTests
{
    /// <summary>
    /// What a browser and a relying party do in the authorization code flow, step by step over plain HTTP: cookies kept,
    /// redirects not followed, so each step can be looked at.
    /// </summary>
    private sealed partial class UserAgent(OidcProvider provider) : IDisposable
    {
        private readonly HttpClient _http = new(new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = provider.Authority,
        };

        /// <summary>A fresh PKCE verifier, 43 characters of base64url as RFC 7636 asks.</summary>
        public static string NewCodeVerifier() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

        public static string ChallengeFor(string codeVerifier) => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(codeVerifier)));

        public Task<HttpResponseMessage> AuthorizeAsync(string? codeChallenge, string state = "state-1", string nonce = "nonce-1", string? prompt = null) =>
            _http.GetAsync(AuthorizationUri(provider, codeChallenge, state, nonce, prompt: prompt), Cancel);

        /// <summary>An authorization request of <see cref="Client"/> for all its scopes, answered to the redirect URI's query unless <paramref name="responseMode"/> says otherwise.</summary>
        public static Uri AuthorizationUri(
            OidcProvider provider, string? codeChallenge, string state = "state-1", string nonce = "nonce-1", string? responseMode = null, string? prompt = null)
        {
            var parameters = new Dictionary<string, string?>
            {
                ["client_id"] = Client.ClientId,
                ["response_type"] = "code",
                ["redirect_uri"] = RedirectUri.AbsoluteUri,
                ["scope"] = "openid profile email groups",
                ["state"] = state,
                ["nonce"] = nonce,
            };
            if (codeChallenge is not null)
            {
                parameters["code_challenge"] = codeChallenge;
                parameters["code_challenge_method"] = "S256";
            }

            if (responseMode is not null)
            {
                parameters["response_mode"] = responseMode;
            }

            if (prompt is not null)
            {
                parameters["prompt"] = prompt;
            }

            return new Uri(provider.Authority, "connect/authorize" + QueryString.Create(parameters));
        }

        /// <summary>Posts the login form found in <paramref name="formPage"/> with these credentials.</summary>
        public async Task<HttpResponseMessage> SignInAsync(HttpResponseMessage formPage, string userName, string password)
        {
            var html = await formPage.Content.ReadAsStringAsync(Cancel);
            var form = FormPattern().Match(html);
            Assert.True(form.Success, "no login form in:\n" + html);
            using var content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["return_url"] = WebUtility.HtmlDecode(form.Groups["returnUrl"].Value),
                ["username"] = userName,
                ["password"] = password,
            });
            return await _http.PostAsync(WebUtility.HtmlDecode(form.Groups["action"].Value), content, Cancel);
        }

        public Task<HttpResponseMessage> FollowAsync(HttpResponseMessage redirect)
        {
            Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
            return _http.GetAsync(redirect.Headers.Location, Cancel);
        }

        /// <summary>Signs in through the form and returns the parameters the provider sent back to the redirect URI.</summary>
        public async Task<Dictionary<string, StringValues>> SignInForCodeAsync(
            OidcUser user, string codeVerifier, string nonce = "nonce-1")
        {
            using var formPage = await AuthorizeAsync(ChallengeFor(codeVerifier), nonce: nonce);
            using var signedIn = await SignInAsync(formPage, user.UserName, user.Password);
            using var authorized = await FollowAsync(signedIn);
            return CallbackParameters(authorized);
        }

        /// <summary>The query of a redirect to the client's redirect URI (the default response mode of the code flow).</summary>
        public static Dictionary<string, StringValues> CallbackParameters(HttpResponseMessage response)
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            var location = response.Headers.Location!;
            Assert.Equal(RedirectUri.GetLeftPart(UriPartial.Path), location.GetLeftPart(UriPartial.Path));
            return QueryHelpers.ParseQuery(location.Query);
        }

        /// <summary>The relying party's back-channel call: the code, its verifier and the client's credentials.</summary>
        public async Task<(HttpStatusCode Status, JsonElement Body)> RedeemAsync(string code, string codeVerifier, string clientSecret = "")
        {
            using var content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code",
                ["code"] = code,
                ["redirect_uri"] = RedirectUri.AbsoluteUri,
                ["code_verifier"] = codeVerifier,
                ["client_id"] = Client.ClientId,
                ["client_secret"] = clientSecret is "" ? Client.ClientSecret : clientSecret,
            });
            using var response = await _http.PostAsync("connect/token", content, Cancel);
            return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(Cancel));
        }

        public Task<HttpResponseMessage> GetAsync(string relativeUri) => _http.GetAsync(relativeUri, Cancel);

        public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => _http.SendAsync(request, Cancel);

        public void Dispose() => _http.Dispose();

        [GeneratedRegex("""<form method="post" action="(?<action>[^"]+)">\s*<input type="hidden" name="return_url" value="(?<returnUrl>[^"]*)">""")]
        private static partial Regex FormPattern();
    }
}
