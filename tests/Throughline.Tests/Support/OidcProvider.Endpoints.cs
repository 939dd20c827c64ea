using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Throughline.Tests.Support;

public sealed partial class OidcProvider
{
    private const string OpenIddictScheme = OpenIddictServerAspNetCoreDefaults.AuthenticationScheme;

    // The token endpoint and discovery need no code of ours: OpenIddict answers them, and redeems codes by itself.
    private static void MapEndpoints(WebApplication app, Accounts accounts)
    {
        app.MapMethods(AuthorizationPath, [HttpMethods.Get, HttpMethods.Post], Run(context => AuthorizeAsync(context, accounts)));
        app.MapPost(LoginPath, Run(context => SignInAsync(context, accounts)));
        app.MapMethods(UserInfoPath, [HttpMethods.Get, HttpMethods.Post], Run(context => UserInfoAsync(context, accounts)));
        app.MapMethods(EndSessionPath, [HttpMethods.Get, HttpMethods.Post], Run(EndSessionAsync));
        app.MapGet(SignedOutPath, () => Page("Signed out", "<p id=\"signed-out\">You are signed out of the test identity provider.</p>"));
    }

    // A RequestDelegate would drop the IResult our handlers return; this one executes it.
    private static RequestDelegate Run(Func<HttpContext, Task<IResult>> handler) =>
        async context => await (await handler(context)).ExecuteAsync(context);

    /// <summary>Asks whoever is not signed in at the provider for a password, then issues a code for whoever is.</summary>
    private static async Task<IResult> AuthorizeAsync(HttpContext context, Accounts accounts)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("OpenIddict passed on no authorization request.");
        var session = await context.AuthenticateAsync(SessionScheme);
        var user = session.Succeeded ? accounts.FindByUserName(session.Principal.Identity?.Name) : null;
        if (user is null)
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Results.Forbid(Error(Errors.LoginRequired, "Nobody is signed in at the provider."), [OpenIddictScheme]);
            }

            IEnumerable<KeyValuePair<string, StringValues>> parameters = context.Request.HasFormContentType
                ? await context.Request.ReadFormAsync(context.RequestAborted)
                : context.Request.Query;
            return LoginForm(AuthorizationPath + QueryString.Create(parameters), userName: "", error: null);
        }

        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        var scopes = request.GetScopes();
        foreach (var (type, value) in Released(user, scopes.Contains))
        {
            if (value is IReadOnlyList<string> values)
            {
                // One claim per value: a JSON array in the token, or a plain string when there is only one.
                identity.SetClaims(type, [.. values]);
            }
            else
            {
                identity.SetClaim(type, (string)value);
            }
        }

        identity.SetScopes(scopes);
        identity.SetDestinations(_ => [Destinations.AccessToken, Destinations.IdentityToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictScheme);
    }

    private static async Task<IResult> SignInAsync(HttpContext context, Accounts accounts)
    {
        // No antiforgery token: its cookie would share 127.0.0.1 with the relying party's, and this form is a test double.
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var returnUrl = form["return_url"].ToString();
        if (!returnUrl.StartsWith(AuthorizationPath + "?", StringComparison.Ordinal))
        {
            return Results.BadRequest("return_url must be the authorization request to continue.");
        }

        var userName = form["username"].ToString();
        var user = accounts.SignIn(userName, form["password"].ToString());
        if (user is null)
        {
            return LoginForm(returnUrl, userName, "Wrong user name or password.");
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, user.UserName)], SessionScheme);
        await context.SignInAsync(SessionScheme, new ClaimsPrincipal(identity));
        return Results.Redirect(returnUrl);
    }

    private static async Task<IResult> UserInfoAsync(HttpContext context, Accounts accounts)
    {
        var token = await context.AuthenticateAsync(OpenIddictScheme);
        var user = accounts.FindBySubject(token.Principal?.GetClaim(Claims.Subject));
        if (token.Principal is null || user is null)
        {
            return Results.Challenge(Error(Errors.InvalidToken, "The access token names no known user."), [OpenIddictScheme]);
        }

        return Results.Json(Released(user, token.Principal.HasScope).ToDictionary(claim => claim.Type, claim => claim.Value));
    }

    private static async Task<IResult> EndSessionAsync(HttpContext context)
    {
        await context.SignOutAsync(SessionScheme);

        // OpenIddict redirects to the client's validated post_logout_redirect_uri, or here when none was given.
        return Results.SignOut(new AuthenticationProperties { RedirectUri = SignedOutPath }, [OpenIddictScheme]);
    }

    /// <summary>The one rule for which claims a client sees: the same for the id_token, the access token and userinfo.</summary>
    private static IEnumerable<(string Type, object Value)> Released(OidcUser user, Func<string, bool> granted)
    {
        yield return (Claims.Subject, user.Subject);
        if (granted(Scopes.Profile))
        {
            yield return (Claims.Name, user.Name);
            yield return (Claims.PreferredUsername, user.UserName);
        }

        if (granted(Scopes.Email))
        {
            yield return (Claims.Email, user.Email);
        }

        if (granted(GroupsScope))
        {
            yield return (GroupsClaim, user.Groups);
        }
    }

    private static AuthenticationProperties Error(string error, string description) => new(new Dictionary<string, string?>
    {
        [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
        [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
    });

    private static IResult LoginForm(string returnUrl, string userName, string? error)
    {
        var encoder = HtmlEncoder.Default;
        var alert = error is null ? "" : $"<p id=\"error\" role=\"alert\">{encoder.Encode(error)}</p>";
        return Page("Sign in", $"""
            {alert}
            <form method="post" action="{LoginPath}">
              <input type="hidden" name="return_url" value="{encoder.Encode(returnUrl)}">
              <p><label for="username">User name</label> <input id="username" name="username" autocomplete="username" value="{encoder.Encode(userName)}" required></p>
              <p><label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password" required></p>
              <p><button id="sign-in" type="submit">Sign in</button></p>
            </form>
            """);
    }

    // The empty icon keeps Chromium from asking for /favicon.ico, whose 404 would be a console error in browser tests.
    private static IResult Page(string title, string body) => Results.Content($"""
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><title>{title} · test identity provider</title><link rel="icon" href="data:,"></head>
        <body>
        <h1>{title}</h1>
        <p>Test identity provider (OpenIddict), for Throughline's tests only.</p>
        {body}
        </body>
        </html>
        """, "text/html; charset=utf-8");
}
