using System.Security.Claims;
using Throughline.Access;

namespace Throughline.Web.Auth;

/// <summary>The claims Throughline puts on a signed-in caller, whatever the way in (token or sign-in provider).</summary>
internal static class AccessClaims
{
    public const string Role = "throughline:role";
    public const string Token = "throughline:token";
    public const string Source = "throughline:source";
    public const string Person = "throughline:person";
    public const string Team = "throughline:team";
    public const string Via = "throughline:via";
    public const string ViaToken = "token";
    public const string ViaSignIn = "sign-in";
}

/// <summary>Who is asking, read from the request's principal.</summary>
/// <param name="Name">A display name: the token's name, or the person's name at the provider.</param>
/// <param name="Role">The role granted, or null for an anonymous caller (or a signed-in person with no role).</param>
/// <param name="TokenId">The token's public id when the caller came with a token.</param>
/// <param name="Sources">An ingest token's source prefixes.</param>
/// <param name="Person">The model's person, when the sign-in matched one of its <c>sso:</c> identities.</param>
/// <param name="Teams">The teams of that person.</param>
public sealed record Caller(string Name, Role? Role, string? TokenId, IReadOnlyList<string> Sources, string? Person, IReadOnlyList<string> Teams)
{
    public static Caller Of(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true)
        {
            return new Caller("anonymous", null, null, [], null, []);
        }

        var role = user.FindFirst(AccessClaims.Role)?.Value is { } name ? Roles.Parse(name) : null;
        return new Caller(
            user.Identity.Name ?? "someone", role, user.FindFirst(AccessClaims.Token)?.Value,
            [.. user.FindAll(AccessClaims.Source).Select(c => c.Value)], user.FindFirst(AccessClaims.Person)?.Value,
            [.. user.FindAll(AccessClaims.Team).Select(c => c.Value)]);
    }

    /// <summary>How the audit log names the caller: a token by its id and name, a person by name, or <c>anonymous</c>.</summary>
    public string Actor => TokenId is not null ? $"token {TokenId} ({Name})" : Role is null && Name == "anonymous" ? Name : $"{Name} (signed in)";

    /// <summary>The role's name, or <c>none</c>.</summary>
    public string RoleName => Role is { } role ? Roles.NameOf(role) : "none";

    /// <summary>Where a request came from, for the audit log: the remote address (no port).</summary>
    public static string From(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
