using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Throughline.Access;
using Throughline.Web.Pages;

namespace Throughline.Web.Auth;

/// <summary>Signing in to the UI: with a token (a link or the form) or through the sign-in provider; and signing out.</summary>
/// <remarks>
/// A token sign-in keeps only the token's public id in the session cookie; every few seconds the session is checked against
/// the store again, so revoking the token ends its sessions too.
/// </remarks>
internal static class SignInEndpoints
{
    public const string FormTokenField = "__form";

    public static void MapSignInEndpoints(this WebApplication app)
    {
        app.MapGet("/sign-in", ShowSignIn).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/sign-in", SignInFormAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        app.MapGet("/sign-in/provider", SignInWithProvider).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/sign-out", SignOutAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
    }

    /// <summary>Where a page request without a session is sent: the sign-in page, coming back to the page asked for.</summary>
    public static string SignInPath(HttpRequest request) =>
        "/sign-in?return=" + Uri.EscapeDataString(request.Path + request.QueryString.ToString());

    private static IResult ShowSignIn(HttpContext context, string? token, string? @return, string? failed)
    {
        // A link never signs in by itself (another site could sign a visitor in as someone else): it fills the form, and the
        // person presses the button, which posts it with the antiforgery token.
        var note = failed == "provider" ? "The sign-in provider did not sign you in; try again or use a token."
            : token is not null ? "Press Sign in to continue with the token from your link." : null;
        return Page(context, @return, note, StatusCodes.Status200OK, token);
    }

    private static async Task<IResult> SignInFormAsync(HttpContext context, IAntiforgery antiforgery)
    {
        if (!await IsOwnFormAsync(context, antiforgery))
        {
            return Page(context, null, "The form had expired or came from another site; sign in again.", StatusCodes.Status400BadRequest);
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        return await SignInWithTokenAsync(context, form["token"].ToString().Trim(), form["return"].ToString());
    }

    private static async Task<IResult> SignInWithTokenAsync(HttpContext context, string token, string? returnTo)
    {
        var checks = context.RequestServices.GetRequiredService<TokenChecks>();
        var audit = context.RequestServices.GetRequiredService<AuditTrail>();
        var check = await checks.CheckAsync(token, context.RequestAborted);
        if (check.Status != TokenStatus.Valid)
        {
            var failure = new CredentialFailure(TokenChecks.Reason(check), check.Token?.Id);
            if (await AccessRegistration.CountRefusedCredentialsAsync(context, failure) is { } throttled)
            {
                return throttled;
            }

            return Page(context, returnTo, $"That token cannot sign in: {failure.Reason}.", StatusCodes.Status401Unauthorized);
        }

        if (check.Token!.Role == Roles.NameOf(Role.Ingest))
        {
            await audit.RefusedAsync(context, $"token {check.Token.Id} ({check.Token.Name})", "an ingest token cannot sign in to the UI");
            return Page(context, returnTo, "An ingest token only writes events; it cannot open the pages.", StatusCodes.Status403Forbidden);
        }

        var identity = new ClaimsIdentity(TokenChecks.ClaimsOf(check.Token), CookieAuthenticationDefaults.AuthenticationScheme, ClaimTypes.Name, AccessClaims.Role);
        await context.SignInAsync(AccessRegistration.SessionScheme, new ClaimsPrincipal(identity));
        await audit.RecordAsync($"token {check.Token.Id} ({check.Token.Name})", AuditActions.SignedIn, "the UI, with a token", Caller.From(context),
            $"role {check.Token.Role}", context.RequestAborted);
        return Results.Redirect(LocalOrHome(returnTo));
    }

    private static IResult SignInWithProvider(HttpContext context, AccessSettings settings, string? @return) =>
        settings.Oidc is null
            ? Page(context, @return, "No sign-in provider is configured on this server (serve --oidc-authority); sign in with a token.", StatusCodes.Status404NotFound)
            : Results.Challenge(new AuthenticationProperties { RedirectUri = LocalOrHome(@return) }, [AccessRegistration.SignInScheme]);

    private static async Task<IResult> SignOutAsync(HttpContext context, IAntiforgery antiforgery, AuditTrail audit)
    {
        if (!await IsOwnFormAsync(context, antiforgery))
        {
            return Results.Redirect("/");
        }

        var caller = Caller.Of(context.User);
        await context.SignOutAsync(AccessRegistration.SessionScheme);
        if (caller.Role is not null || context.User.Identity?.IsAuthenticated == true)
        {
            await audit.RecordAsync(caller.Actor, AuditActions.SignedOut, "the UI", Caller.From(context), AuditActions.Done, context.RequestAborted);
        }

        return Results.Redirect("/sign-in");
    }

    /// <summary>A form this server rendered: a form body carrying a valid antiforgery token (anything else is not one).</summary>
    /// <summary>Whether a form post came from one of our pages: form content with a valid antiforgery token.</summary>
    public static async Task<bool> IsOwnFormAsync(HttpContext context, IAntiforgery antiforgery)
    {
        if (!context.Request.HasFormContentType)
        {
            return false;
        }

        try
        {
            return await antiforgery.IsRequestValidAsync(context);
        }
        catch (Exception exception) when (exception is AntiforgeryValidationException or InvalidDataException or IOException)
        {
            return false; // a malformed form body
        }
    }

    /// <summary>Checks a token session against the store again (every few seconds, through <see cref="TokenChecks"/>'s trust).</summary>
    public static async Task RevalidateAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal?.FindFirst(AccessClaims.Token)?.Value is not { } tokenId)
        {
            return;
        }

        var checks = context.HttpContext.RequestServices.GetRequiredService<TokenChecks>();
        if (!await checks.StillValidAsync(tokenId, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(AccessRegistration.SessionScheme);
        }
    }

    /// <summary>A return address on this server only: anything else (another host, <c>//host</c>, a scheme) goes home.</summary>
    public static string LocalOrHome(string? returnTo) =>
        returnTo is { Length: > 0 and <= 2048 } path && path[0] == '/' && (path.Length == 1 || (path[1] != '/' && path[1] != '\\'))
        && path.All(c => c is > ' ' and < (char)127 && c != '\\') // browsers drop tabs and newlines: "/\t/evil" would become "//evil"
            ? path
            : "/";

    private static RazorComponentResult<SignInPage> Page(HttpContext context, string? returnTo, string? note, int status, string? token = null)
    {
        var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
        return new RazorComponentResult<SignInPage>(new Dictionary<string, object?>
        {
            [nameof(SignInPage.FormToken)] = antiforgery.GetAndStoreTokens(context).RequestToken,
            [nameof(SignInPage.ReturnTo)] = LocalOrHome(returnTo),
            [nameof(SignInPage.Note)] = note,
            [nameof(SignInPage.Provider)] = context.RequestServices.GetRequiredService<AccessSettings>().Oidc?.Authority.Host,
            [nameof(SignInPage.Caller)] = Caller.Of(context.User),
            [nameof(SignInPage.Token)] = token,
        })
        { StatusCode = status };
    }
}
