namespace Throughline.Web.Auth;

/// <summary>Who may reach what: <c>serve</c>'s access options.</summary>
/// <param name="ReadOpen">Anyone may read pages and read APIs without signing in (<c>--read-open</c>, for an office wall display);
/// writing still needs a token.</param>
/// <param name="Oidc">Sign-in to the UI through an OpenID Connect provider, or null for tokens only.</param>
/// <param name="TokenCheckCache">How long a checked token is trusted before the store is asked again: a revocation reaches
/// every node within this time (the node that revoked knows at once).</param>
/// <param name="FailuresPerMinute">Refused credentials one address may send per minute; past that it is answered 429.</param>
/// <param name="TrustedProxies">Reverse proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed; none by default.</param>
public sealed record AccessSettings(
    bool ReadOpen = false, OidcSettings? Oidc = null, TimeSpan? TokenCheckCache = null, int FailuresPerMinute = 10,
    IReadOnlyList<System.Net.IPAddress>? TrustedProxies = null)
{
    /// <summary>How long a session lasts before its person signs in again (not extended by use, so a change of groups
    /// at the provider takes effect within it).</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(8);

    public static readonly TimeSpan DefaultTokenCheckCache = TimeSpan.FromSeconds(5);
}

/// <summary>Sign-in through an OpenID Connect provider (authorization code with PKCE).</summary>
/// <param name="Authority">The provider's issuer address (its discovery document is below it).</param>
/// <param name="ClientId">Throughline's client id at the provider.</param>
/// <param name="ClientSecret">The client secret, or null for a public client.</param>
/// <param name="GroupsClaim">The claim that lists a person's groups (default <c>groups</c>).</param>
/// <param name="AdminGroups">Groups whose members are admins.</param>
/// <param name="EditorGroups">Groups whose members are editors.</param>
/// <param name="ViewerGroups">Groups whose members are viewers; empty: every person the provider signs in is at least a viewer.</param>
public sealed record OidcSettings(
    Uri Authority, string ClientId, string? ClientSecret, string GroupsClaim, IReadOnlyList<string> AdminGroups, IReadOnlyList<string> EditorGroups,
    IReadOnlyList<string> ViewerGroups)
{
    public const string DefaultGroupsClaim = "groups";
}
