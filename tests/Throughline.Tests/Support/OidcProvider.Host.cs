using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Throughline.Tests.Support;

public sealed partial class OidcProvider
{
    private const string SessionScheme = "OidcProviderSession";
    private const string AuthorizationPath = "/connect/authorize";
    private const string TokenPath = "/connect/token";
    private const string UserInfoPath = "/connect/userinfo";
    private const string EndSessionPath = "/connect/endsession";
    private const string LoginPath = "/account/login";
    private const string SignedOutPath = "/account/signed-out";

    // One RSA key for the test process: OpenSSL makes it on first use, which took seconds on a busy 2-core machine,
    // once per provider with AddEphemeralSigningKey. Codes and tokens still stay with their provider, whose
    // encryption key is its own.
    private static readonly Lazy<RsaSecurityKey> SigningKey = new(() => new RsaSecurityKey(RSA.Create(2048)) { KeyId = "oidc-provider-tests" });

    private static WebApplication BuildHost(Accounts accounts)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(OidcProvider).FullName,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));

        var services = builder.Services;
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        var database = "oidc-provider-" + Guid.NewGuid().ToString("N");
        services.AddDbContext<StoreContext>(options => options
            .UseInMemoryDatabase(database)
            .UseOpenIddict()
            // Each provider is a new host with its own services, so EF Core builds one internal service provider per
            // start; a test run starts more than the 20 after which EF Core would throw by default.
            .ConfigureWarnings(warnings => warnings.Ignore(CoreEventId.ManyServiceProvidersCreatedWarning)));

        services.AddAuthentication(SessionScheme).AddCookie(SessionScheme, cookie =>
        {
            cookie.Cookie.Name = SessionCookieName;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });

        services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<StoreContext>()
                // The in-memory provider has no ExecuteUpdate/ExecuteDelete: revoke and prune entity by entity.
                .DisableBulkOperations())
            .AddServer(server =>
            {
                // No SetIssuer: the port is known only after start, and OpenIddict then takes the issuer from the
                // request's own address, which is Authority for every caller on 127.0.0.1.
                server.SetAuthorizationEndpointUris(AuthorizationPath[1..])
                    .SetTokenEndpointUris(TokenPath[1..])
                    .SetUserInfoEndpointUris(UserInfoPath[1..])
                    .SetEndSessionEndpointUris(EndSessionPath[1..]);
                server.AllowAuthorizationCodeFlow();
                server.Configure(options => options.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain));
                server.RegisterScopes(Scopes.Profile, Scopes.Email, GroupsScope);
                server.RegisterClaims(Claims.Name, Claims.PreferredUsername, Claims.Email, GroupsClaim);
                server.AddSigningKey(SigningKey.Value);
                server.AddEncryptionKey(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)));
                server.DisableAccessTokenEncryption();
                server.UseAspNetCore()
                    .DisableTransportSecurityRequirement()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough();
            });

        var app = builder.Build();
        app.UseAuthentication();
        MapEndpoints(app, accounts);
        return app;
    }

    private sealed class StoreContext(DbContextOptions<StoreContext> options) : DbContext(options);
}
