using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.HttpOverrides;

namespace Throughline.Web.Auth;

/// <summary>Access control, wired: who the caller is (token or session), what each endpoint needs, refusals throttled and audited.</summary>
/// <remarks>
/// Safe by default: every endpoint needs <see cref="RoleRequirement.Read"/> unless it names another policy; only the probes,
/// the sign-in pages, the page assets and the webhooks (which check their own signatures) are open.
/// </remarks>
internal static class AccessRegistration
{
    public const string SessionScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string SignInScheme = "sign-in";
    private const string ChooseScheme = "token-or-session";

    public static readonly TimeSpan FailureWindow = TimeSpan.FromMinutes(1);

    public static bool IsHook(PathString path) => path.StartsWithSegments("/hooks");

    public static IServiceCollection AddAccess(this IServiceCollection services, AccessSettings settings)
    {
        services.AddSingleton(settings);
        var failedCredentials = FailedCredentials(settings.FailuresPerMinute);
        services.AddSingleton(new FailedCredentialLimiter(failedCredentials));
        services.AddSingleton<TokenChecks>();
        services.AddSingleton<AuditTrail>();
        services.AddSingleton<IAuthorizationHandler, RoleRequirementHandler>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, Refusals>();
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "throughline.form";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.FormFieldName = SignInEndpoints.FormTokenField;
        });
        var authentication = services.AddAuthentication(options =>
            {
                options.DefaultScheme = ChooseScheme;
                options.DefaultChallengeScheme = ChooseScheme;
            })
            .AddPolicyScheme(ChooseScheme, "token or session", options =>
                options.ForwardDefaultSelector = context => TokenAuthentication.BearerOf(context.Request) is not null && !IsHook(context.Request.Path)
                    ? TokenAuthentication.SchemeName
                    : SessionScheme)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthentication>(TokenAuthentication.SchemeName, null)
            .AddCookie(SessionScheme, options =>
            {
                options.Cookie.Name = "throughline.session";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax; // sent on the provider's redirect back and on links from mail
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest; // Secure whenever served over HTTPS
                options.ExpireTimeSpan = AccessSettings.SessionLifetime;
                options.SlidingExpiration = false; // absolute: a person removed from a group at the provider loses the role within it
                options.Events.OnValidatePrincipal = SignInEndpoints.RevalidateAsync;
            });
        if (settings.Oidc is { } oidc)
        {
            authentication.AddOpenIdConnect(SignInScheme, options => SignInProvider.Configure(options, oidc));
        }

        services.AddAuthorizationBuilder()
            .AddPolicy(RoleRequirement.Read.Name, policy => policy.AddRequirements(RoleRequirement.Read))
            .AddPolicy(RoleRequirement.Ingest.Name, policy => policy.AddRequirements(RoleRequirement.Ingest))
            .AddPolicy(RoleRequirement.Edit.Name, policy => policy.AddRequirements(RoleRequirement.Edit))
            .AddPolicy(RoleRequirement.Admin.Name, policy => policy.AddRequirements(RoleRequirement.Admin))
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().AddRequirements(RoleRequirement.Read).Build());
        services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = failedCredentials;
            options.OnRejected = async (rejected, _) =>
            {
                var context = rejected.HttpContext;
                var actor = context.Items[TokenAuthentication.FailureItem] is CredentialFailure failure ? failure.Actor : Caller.Of(context.User).Actor;
                await (await TooManyFailuresAsync(context, actor)).ExecuteAsync(context);
            };
        });
        return services;
    }

    /// <summary>Counts requests that came with refused credentials, per address; requests without such credentials pass freely.</summary>
    private static PartitionedRateLimiter<HttpContext> FailedCredentials(int perWindow) => PartitionedRateLimiter.Create<HttpContext, string>(context =>
        context.Items.ContainsKey(TokenAuthentication.FailureItem)
            ? RateLimitPartition.GetFixedWindowLimiter(Caller.From(context), _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = perWindow,
                Window = FailureWindow,
                QueueLimit = 0,
            })
            : RateLimitPartition.GetNoLimiter(""));

    /// <summary>The access middleware, in order: who is asking, throttle refused credentials, refuse them, then each endpoint's policy.</summary>
    public static void UseAccess(this WebApplication app)
    {
        if (app.Services.GetRequiredService<AccessSettings>().TrustedProxies is { Count: > 0 } proxies)
        {
            var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
            {
                forwarded.KnownProxies.Add(proxy);
            }

            app.UseForwardedHeaders(forwarded);
        }

        var audit = app.Services.GetRequiredService<AuditTrail>();
        app.Lifetime.ApplicationStopping.Register(() => audit.FlushAsync().GetAwaiter().GetResult());
        app.UseAuthentication();
        app.UseRateLimiter();
        app.Use(async (context, next) =>
        {
            if (context.Items[TokenAuthentication.FailureItem] is CredentialFailure failure)
            {
                await RefuseCredentialsAsync(context, failure);
                return;
            }

            await next(context);
        });
        app.UseAuthorization();
        app.UseAntiforgery();
    }

    /// <summary>
    /// Counts credentials an endpoint refused itself (the sign-in form, a webhook's signature), as the rate limiter counts
    /// bearer tokens: the 429 answer once the caller is past the limit, else null after auditing the refusal.
    /// </summary>
    public static async Task<IResult?> CountRefusedCredentialsAsync(HttpContext context, CredentialFailure failure)
    {
        context.Items[TokenAuthentication.FailureItem] = failure;
        using var lease = context.RequestServices.GetRequiredService<FailedCredentialLimiter>().Limiter.AttemptAcquire(context);
        if (!lease.IsAcquired)
        {
            return await TooManyFailuresAsync(context, failure.Actor);
        }

        await context.RequestServices.GetRequiredService<AuditTrail>().RefusedAsync(context, failure.Actor, failure.Reason);
        return null;
    }

    /// <summary>The answer past the limit of refused credentials (429 with <c>Retry-After</c>), audited.</summary>
    public static async Task<IResult> TooManyFailuresAsync(HttpContext context, string actor)
    {
        await context.RequestServices.GetRequiredService<AuditTrail>().RefusedAsync(context, actor, "too many refused credentials from this address");
        context.Response.Headers.RetryAfter = ((int)FailureWindow.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return AccessProblems.TooManyFailures(FailureWindow);
    }

    /// <summary>Answers 401 for credentials that failed, and audits it.</summary>
    public static async Task RefuseCredentialsAsync(HttpContext context, CredentialFailure failure)
    {
        await context.RequestServices.GetRequiredService<AuditTrail>().RefusedAsync(context, failure.Actor, failure.Reason);
        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"throughline\", error=\"invalid_token\"";
        await AccessProblems.BadCredentials(failure.Reason).ExecuteAsync(context);
    }
}

/// <summary>The limiter of refused credentials, for the sign-in form (which checks its token after the rate limiter has run).</summary>
internal sealed record FailedCredentialLimiter(PartitionedRateLimiter<HttpContext> Limiter);
