using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Throughline.Access;

namespace Throughline.Web.Auth;

/// <summary><c>Authorization: Bearer tl_...</c> (or <c>?token=</c> on <c>/api/health</c>): a Throughline API token.</summary>
/// <remarks>Webhook endpoints (<c>/hooks/...</c>) are skipped: tools put their own secrets in that header, checked by the hook.</remarks>
internal sealed class TokenAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, TokenChecks checks)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "token";

    /// <summary>Set on the request when it came with credentials that failed: the reason, for the answer and the audit log.</summary>
    public const string FailureItem = "throughline:credentials-failed";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (AccessRegistration.IsHook(Request.Path) || BearerOf(Request) is not { } presented)
        {
            return AuthenticateResult.NoResult();
        }

        var check = await checks.CheckAsync(presented, Context.RequestAborted);
        if (check.Status != TokenStatus.Valid)
        {
            var reason = TokenChecks.Reason(check);
            Context.Items[FailureItem] = new CredentialFailure(reason, check.Token?.Id);
            return AuthenticateResult.Fail(reason);
        }

        var identity = new ClaimsIdentity(TokenChecks.ClaimsOf(check.Token!), SchemeName, ClaimTypes.Name, AccessClaims.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>The path that also takes its token as <c>?token=</c>: release gates such as Flagger's webhooks cannot set a header.</summary>
    public const string QueryTokenPath = "/api/health";

    /// <summary>The bearer credential of the request (or, on <see cref="QueryTokenPath"/> only, its <c>token</c> query value), or null when it has none.</summary>
    public static string? BearerOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        if (header.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) && header.Length > bearer.Length)
        {
            return header[bearer.Length..].Trim();
        }

        return request.Path.Equals(QueryTokenPath, StringComparison.OrdinalIgnoreCase) && request.Query["token"].ToString() is { Length: > 0 } query ? query.Trim() : null;
    }
}

/// <summary>Credentials that were refused: why, and the token's public id when it was one of ours.</summary>
internal sealed record CredentialFailure(string Reason, string? TokenId)
{
    /// <summary>How the audit log names the caller: the token's public id, or what it claimed to be.</summary>
    public string Actor { get; init; } = TokenId is null ? "unknown token" : $"token {TokenId}";
}
