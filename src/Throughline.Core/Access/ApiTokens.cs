using System.Security.Cryptography;
using System.Text;
using Throughline.Storage;

namespace Throughline.Access;

/// <summary>A token as created: the clear text (<see cref="Secret"/>: <c>tl_</c>, 8 characters of id, <c>_</c> and 43 of secret,
/// 256 random bits), shown once, and what is stored about it.</summary>
public sealed record IssuedToken(string Secret, StoredToken Token);

/// <summary>How a presented token checked out.</summary>
public enum TokenStatus
{
    /// <summary>It is a stored token, not expired and not revoked.</summary>
    Valid,

    /// <summary>Not the shape of a Throughline token.</summary>
    Malformed,

    /// <summary>No stored token has this id and secret.</summary>
    Unknown,

    /// <summary>It was a token, but its expiry has passed.</summary>
    Expired,

    /// <summary>It was a token, but it was revoked.</summary>
    Revoked,
}

/// <summary>The outcome of checking a token; <see cref="Token"/> is set when the id was found (to name it in the audit log).</summary>
public sealed record TokenCheck(TokenStatus Status, StoredToken? Token);

/// <summary>API tokens: made from 256 random bits, stored only as a SHA-256 hash, checked in constant time.</summary>
/// <remarks>
/// A token's secret is random, not chosen by a person, so one SHA-256 is as good as a slow password hash and keeps each
/// request cheap. The id (the first 11 characters) is stored in clear, so that lists and the audit log can name a token
/// without holding anything that opens the door.
/// </remarks>
public static class ApiTokens
{
    public const string Prefix = "tl_";
    private const int IdLength = 8;
    private const int SecretBytes = 32;
    private const string IdAlphabet = "abcdefghijkmnpqrstuvwxyz23456789"; // no l, o, 0, 1: read aloud without mistakes

    /// <summary>Makes and stores a token; with <c>onlyIfFirst</c>, only when the database holds no token at all (null otherwise).</summary>
    public static async Task<IssuedToken?> CreateAsync(
        IEventStore store, Role role, IReadOnlyList<string> sources, string name, string createdBy, DateTimeOffset now, TimeSpan? lifetime,
        bool onlyIfFirst, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (role != Role.Ingest && sources.Count > 0)
        {
            throw new ArgumentException("only an ingest token is limited to sources", nameof(sources));
        }

        if (role == Role.Ingest && sources.Count == 0)
        {
            throw new ArgumentException("an ingest token needs at least one source prefix", nameof(sources));
        }

        // An id clash (1 in 2^40 per pair) is retried with a new id; the store refuses the duplicate.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var id = Prefix + RandomNumberGenerator.GetString(IdAlphabet, IdLength);
            var secret = $"{id}_{Base64Url(RandomNumberGenerator.GetBytes(SecretBytes))}";
            var token = new StoredToken(id, name, Roles.NameOf(role), sources, now, createdBy, now + lifetime, null);
            if (await store.AddTokenAsync(token, Hash(secret), onlyIfFirst, cancellationToken))
            {
                return new IssuedToken(secret, token);
            }

            if (onlyIfFirst)
            {
                return null;
            }
        }

        throw new InvalidOperationException("could not find a free token id in five attempts");
    }

    /// <summary>The stored id of <paramref name="presented"/>, or null when it is not shaped like a token.</summary>
    public static string? IdOf(string presented) =>
        presented.Length > Prefix.Length + IdLength + 1 && presented.StartsWith(Prefix, StringComparison.Ordinal) && presented[Prefix.Length + IdLength] == '_'
            ? presented[..(Prefix.Length + IdLength)]
            : null;

    /// <summary>Checks a presented token against the store.</summary>
    public static async Task<TokenCheck> CheckAsync(IEventStore store, string presented, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (IdOf(presented) is not { } id)
        {
            return new TokenCheck(TokenStatus.Malformed, null);
        }

        var stored = await store.FindTokenAsync(id, cancellationToken);
        var hash = Hash(presented);
        if (stored is null || !CryptographicOperations.FixedTimeEquals(stored.Hash, hash))
        {
            return new TokenCheck(TokenStatus.Unknown, stored?.Token);
        }

        var status = stored.Token.RevokedAt is not null ? TokenStatus.Revoked
            : stored.Token.ExpiresAt is { } expires && expires <= now ? TokenStatus.Expired
            : TokenStatus.Valid;
        return new TokenCheck(status, stored.Token);
    }

    /// <summary>SHA-256 of the whole token's UTF-8 bytes: the only form in which a token is stored.</summary>
    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
