using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Throughline.Tests.Support;

/// <summary>
/// A real OpenID Connect provider (OpenIddict's server, clients and tokens in an EF Core in-memory store) on its own
/// loopback port, for tests that sign in through Throughline's UI the way an operator signs in through their company's.
/// </summary>
/// <remarks>
/// <para>Plain HTTP on <c>http://127.0.0.1:&lt;free port&gt;</c>; the issuer is <see cref="Authority"/>. Keys live in
/// memory only: one RSA signing key (RS256) per test process, and each provider its own key for encrypting codes;
/// access tokens are signed but not encrypted.</para>
/// <para>Only the authorization code flow is allowed, and only with PKCE (S256). Scopes: <c>openid</c>, <c>profile</c>
/// (<c>name</c>, <c>preferred_username</c>), <c>email</c> and <see cref="GroupsScope"/> (<c>groups</c>); each claim
/// reaches the id_token, the access token and the userinfo answer only when its scope was granted.</para>
/// <para>The relying party's address is known only once it has started, so a client can be registered after start with
/// <see cref="RegisterClientAsync"/>. The provider's session cookie (<see cref="SessionCookieName"/>) lives on the same
/// host, 127.0.0.1, as the relying party's cookies (cookies ignore ports), so its name differs from ASP.NET's defaults.
/// Chromium counts http://127.0.0.1 as a secure context: it keeps <c>Secure</c> cookies there (so ASP.NET's correlation
/// and nonce cookies work unchanged) but drops <c>SameSite=None</c> cookies that are not <c>Secure</c>.</para>
/// <para>Thread-safe: requests run concurrently, and <see cref="SignIns"/> may be read while they do.</para>
/// </remarks>
public sealed partial class OidcProvider : IAsyncDisposable
{
    /// <summary>The scope a client asks for to receive the <see cref="GroupsClaim"/> claim.</summary>
    public const string GroupsScope = "groups";

    /// <summary>The user's groups: one claim per group once a relying party reads the token.</summary>
    /// <remarks>In the token's JSON it is an array for two groups or more but a plain string for one (JWT claims
    /// serialization, which OpenIddict does not override); userinfo always answers an array.</remarks>
    public const string GroupsClaim = "groups";

    public const string SessionCookieName = ".OidcProvider.Session";

    private readonly WebApplication _app;
    private readonly Accounts _accounts;

    private OidcProvider(WebApplication app, Accounts accounts, Uri authority)
    {
        _app = app;
        _accounts = accounts;
        Authority = authority;
    }

    /// <summary>The issuer, with a trailing slash (<c>http://127.0.0.1:port/</c>); the discovery document is below it.</summary>
    public Uri Authority { get; }

    /// <summary>The user names that signed in with the login form, in order (a wrong password adds nothing).</summary>
    public IReadOnlyList<string> SignIns => _accounts.SignIns;

    /// <summary>Starts a provider that knows <paramref name="users"/> and no client yet (see <see cref="RegisterClientAsync"/>).</summary>
    public static async Task<OidcProvider> StartAsync(IReadOnlyList<OidcUser> users)
    {
        ArgumentNullException.ThrowIfNull(users);
        var accounts = new Accounts(users);
        var app = BuildHost(accounts);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new OidcProvider(app, accounts, new Uri(address + "/"));
    }

    /// <summary>Starts a provider that knows <paramref name="users"/> and <paramref name="client"/>.</summary>
    public static async Task<OidcProvider> StartAsync(OidcClient client, IReadOnlyList<OidcUser> users)
    {
        var provider = await StartAsync(users);
        await provider.RegisterClientAsync(client);
        return provider;
    }

    /// <summary>
    /// Registers a confidential client allowed the authorization code flow with PKCE, the scopes <c>profile</c>,
    /// <c>email</c> and <see cref="GroupsScope"/>, and the end-session endpoint. Consent is implicit: no consent page.
    /// </summary>
    /// <remarks>Redirect URIs are compared exactly, as OpenIddict does: register the relying party's callback
    /// (ASP.NET's default is <c>/signin-oidc</c>, and <c>/signout-callback-oidc</c> after sign-out) with its real port.</remarks>
    public async Task RegisterClientAsync(OidcClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = client.ClientId,
            ClientSecret = client.ClientSecret,
            ClientType = ClientTypes.Confidential,
            ConsentType = ConsentTypes.Implicit,
            DisplayName = client.ClientId,
            Permissions =
            {
                Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.EndSession,
                Permissions.GrantTypes.AuthorizationCode, Permissions.ResponseTypes.Code,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        descriptor.AddScopePermissions(Scopes.Profile, Scopes.Email, GroupsScope);
        descriptor.RedirectUris.UnionWith(client.RedirectUris);
        descriptor.PostLogoutRedirectUris.UnionWith(client.PostLogoutRedirectUris);

        await using var scope = _app.Services.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        await applications.CreateAsync(descriptor, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>A relying party as the provider registers it: a confidential client using the authorization code flow with PKCE.</summary>
public sealed record OidcClient(string ClientId, string ClientSecret, IReadOnlyList<Uri> RedirectUris, IReadOnlyList<Uri> PostLogoutRedirectUris);

/// <summary>A person who can sign in at the provider with <see cref="UserName"/> and <see cref="Password"/>.</summary>
public sealed record OidcUser(string UserName, string Password, string Name, string Email, IReadOnlyList<string> Groups)
{
    /// <summary>
    /// The <c>sub</c> claim: a stable opaque id derived from the user name and deliberately unlike it, so a relying party
    /// that keys people by name instead of by subject shows up in a test.
    /// </summary>
    public string Subject => "subject-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(UserName)))[..16];
}
