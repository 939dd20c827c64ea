using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Throughline.Access;
using Throughline.Web.ModelReload;

namespace Throughline.Web.Auth;

/// <summary>Sign-in to the UI through an OpenID Connect provider: the authorization code flow with PKCE, groups mapped to a role,
/// the person matched to the model's people (an <c>sso:LOGIN</c> identity) and so to a team.</summary>
internal static class SignInProvider
{
    public static void Configure(OpenIdConnectOptions options, OidcSettings settings)
    {
        options.Authority = settings.Authority.ToString();
        options.ClientId = settings.ClientId;
        options.ClientSecret = settings.ClientSecret;
        options.ResponseType = OpenIdConnectResponseType.Code;
        // The code comes back on a top-level GET (not a cross-site form post), so the correlation and nonce cookies can be
        // SameSite=Lax like the session's, and Secure only over HTTPS.
        options.ResponseMode = OpenIdConnectResponseMode.Query;
        options.UsePkce = true;
        options.SignInScheme = AccessRegistration.SessionScheme;
        options.CallbackPath = "/sign-in/callback";
        options.SignedOutCallbackPath = "/sign-out/callback";
        // Plain HTTP only for a provider on this machine (a test, a laptop); anywhere else the metadata must come over HTTPS.
        options.RequireHttpsMetadata = !settings.Authority.IsLoopback;
        options.GetClaimsFromUserInfoEndpoint = true;
        options.MapInboundClaims = false;
        options.Scope.Clear();
        foreach (var scope in (string[])["openid", "profile", "email", settings.GroupsClaim])
        {
            options.Scope.Add(scope);
        }

        options.TokenValidationParameters.NameClaimType = "name";
        options.ClaimActions.MapJsonKey(settings.GroupsClaim, settings.GroupsClaim); // groups some providers send only from userinfo
        options.TokenValidationParameters.RoleClaimType = AccessClaims.Role;
        options.CorrelationCookie.SameSite = SameSiteMode.Lax;
        options.NonceCookie.SameSite = SameSiteMode.Lax;
        options.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.Events.OnTicketReceived = async context =>
        {
            if (context.Principal?.Identity is ClaimsIdentity identity)
            {
                Describe(identity, settings, context.HttpContext.RequestServices.GetRequiredService<ModelInForce>().Current.Model);
                var caller = Caller.Of(context.Principal);
                var audit = context.HttpContext.RequestServices.GetRequiredService<AuditTrail>();
                await audit.RecordAsync(caller.Actor, AuditActions.SignedIn, "the UI, through the sign-in provider", Caller.From(context.HttpContext),
                    $"role {caller.RoleName}", context.HttpContext.RequestAborted);
            }
        };
        options.Events.OnRemoteFailure = async context =>
        {
            // Throttled per caller like every refusal, and cut short: the message can carry text the caller chose.
            var message = context.Failure?.Message ?? "failed";
            var audit = context.HttpContext.RequestServices.GetRequiredService<AuditTrail>();
            await audit.RefusedAsync(context.HttpContext, "anonymous", "sign-in provider: " + (message.Length > 200 ? message[..200] + "..." : message));
            context.Response.Redirect("/sign-in?failed=provider");
            context.HandleResponse();
        };
    }

    /// <summary>Adds Throughline's claims to a person the provider signed in: role from groups, person and team from the model.</summary>
    public static void Describe(ClaimsIdentity identity, OidcSettings settings, Model.OperatingModel? model)
    {
        // Only Throughline says what a caller may do: a provider's claim of the same name is dropped, not believed.
        foreach (var claim in identity.Claims.Where(c => c.Type.StartsWith("throughline:", StringComparison.Ordinal)).ToList())
        {
            identity.RemoveClaim(claim);
        }

        var groups = identity.FindAll(settings.GroupsClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        Role? role = groups.Overlaps(settings.AdminGroups) ? Role.Admin
            : groups.Overlaps(settings.EditorGroups) ? Role.Editor
            : settings.ViewerGroups.Count == 0 || groups.Overlaps(settings.ViewerGroups) ? Role.Viewer
            : null;
        if (role is { } granted)
        {
            identity.AddClaim(new Claim(AccessClaims.Role, Roles.NameOf(granted)));
        }

        identity.AddClaim(new Claim(AccessClaims.Via, AccessClaims.ViaSignIn));
        // An email the provider says it did not verify names nobody: anyone could have typed it.
        var email = identity.FindFirst("email_verified")?.Value is "false" ? null : identity.FindFirst("email")?.Value;
        var logins = new[] { email, identity.FindFirst("preferred_username")?.Value }.OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
        var person = model?.People.FirstOrDefault(p => p.Identities.Any(i => i.Tool == Model.Person.SignInTool && logins.Contains(i.Login)));
        if (person is not null)
        {
            identity.AddClaim(new Claim(AccessClaims.Person, person.Id));
            if (person.Team.Length > 0)
            {
                identity.AddClaim(new Claim(AccessClaims.Team, person.Team));
            }
        }
    }
}
