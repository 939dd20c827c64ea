using System.Collections.Concurrent;
using System.Security.Claims;
using Throughline.Access;
using Throughline.Storage;

namespace Throughline.Web.Auth;

/// <summary>Checks presented tokens against the store, trusting a valid answer for a few seconds so a request costs no query.</summary>
/// <remarks>
/// Only valid tokens are remembered, keyed by the token's hash (never the token itself), and expiry is checked on every use.
/// A revocation made through this node is forgotten at once; one made elsewhere (the command line, another node) takes effect
/// within <see cref="AccessSettings.TokenCheckCache"/>.
/// </remarks>
internal sealed class TokenChecks(IEventStore store, TimeProvider time, AccessSettings settings)
{
    private readonly ConcurrentDictionary<string, (StoredToken Token, DateTimeOffset Until)> _valid = new(StringComparer.Ordinal);
    private readonly TimeSpan _trust = settings.TokenCheckCache ?? AccessSettings.DefaultTokenCheckCache;

    public async Task<TokenCheck> CheckAsync(string presented, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var key = Convert.ToHexString(ApiTokens.Hash(presented));
        if (_valid.TryGetValue(key, out var known) && known.Until > now)
        {
            return known.Token.ExpiresAt is { } expires && expires <= now
                ? new TokenCheck(TokenStatus.Expired, known.Token)
                : new TokenCheck(TokenStatus.Valid, known.Token);
        }

        var check = await ApiTokens.CheckAsync(store, presented, now, cancellationToken);
        if (check.Status == TokenStatus.Valid)
        {
            _valid[key] = (check.Token!, now + _trust);
        }
        else
        {
            _valid.TryRemove(key, out _);
        }

        return check;
    }

    /// <summary>Whether the token with public id <paramref name="tokenId"/> still works (a session made with it lives as long).</summary>
    public async Task<bool> StillValidAsync(string tokenId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var key = "id:" + tokenId;
        if (!_valid.TryGetValue(key, out var known) || known.Until <= now)
        {
            var stored = await store.FindTokenAsync(tokenId, cancellationToken);
            if (stored is null || stored.Token.RevokedAt is not null)
            {
                _valid.TryRemove(key, out _);
                return false;
            }

            known = (stored.Token, now + _trust);
            _valid[key] = known;
        }

        return known.Token.ExpiresAt is not { } expires || expires > now;
    }

    /// <summary>Forgets a token revoked through this node.</summary>
    public void Forget(string tokenId)
    {
        foreach (var entry in _valid.Where(e => e.Value.Token.Id == tokenId))
        {
            _valid.TryRemove(entry.Key, out _);
        }
    }

    /// <summary>The claims of a caller holding <paramref name="token"/>.</summary>
    public static List<Claim> ClaimsOf(StoredToken token) =>
    [
        new(ClaimTypes.Name, token.Name),
        new(AccessClaims.Role, token.Role),
        new(AccessClaims.Token, token.Id),
        new(AccessClaims.Via, AccessClaims.ViaToken),
        .. token.Sources.Select(source => new Claim(AccessClaims.Source, source)),
    ];

    /// <summary>Why a token was refused, as the answer and the audit log say it (nothing about the token beyond its public id).</summary>
    public static string Reason(TokenCheck check) => check.Status switch
    {
        TokenStatus.Malformed => "the bearer token is not a Throughline token (tl_...)",
        TokenStatus.Unknown => "the bearer token is not known",
        TokenStatus.Expired => $"token {check.Token!.Id} expired at {check.Token.ExpiresAt:u}",
        TokenStatus.Revoked => $"token {check.Token!.Id} was revoked at {check.Token.RevokedAt:u}",
        _ => "the token is valid",
    };
}
