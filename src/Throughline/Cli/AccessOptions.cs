using System.CommandLine;
using Throughline.Access;
using Throughline.Storage;
using Throughline.Web.Auth;

namespace Throughline.Cli;

/// <summary><c>serve</c>'s access options: read-open, and the sign-in provider.</summary>
internal sealed class AccessOptions
{
    public const string DefaultSecretVariable = "THROUGHLINE_OIDC_CLIENT_SECRET";

    private readonly Option<bool> _readOpen = new("--read-open")
    {
        Description = "Let anyone read the pages and read APIs without signing in (an office wall display). Writing still needs a token.",
    };

    private readonly Option<string?> _authority = new("--oidc-authority")
    {
        Description = "Sign people in to the UI through this OpenID Connect provider (its issuer URL; HTTPS unless on this machine).",
        HelpName = "URL",
    };

    private readonly Option<string?> _clientId = new("--oidc-client-id") { Description = "Throughline's client id at the provider.", HelpName = "ID" };

    private readonly Option<string> _secretVariable = new("--oidc-client-secret-env")
    {
        Description = $"The environment variable holding the client secret (default {DefaultSecretVariable}; unset: a public client).",
        HelpName = "VARIABLE",
        DefaultValueFactory = _ => DefaultSecretVariable,
    };

    private readonly Option<string> _groupsClaim = new("--oidc-groups-claim")
    {
        Description = $"The claim listing a person's groups (default {OidcSettings.DefaultGroupsClaim}).",
        HelpName = "CLAIM",
        DefaultValueFactory = _ => OidcSettings.DefaultGroupsClaim,
    };

    private readonly Option<string[]> _admins = new("--oidc-admin-group") { Description = "Members of this group are admins (repeat for more).", HelpName = "GROUP" };
    private readonly Option<string[]> _editors = new("--oidc-editor-group") { Description = "Members of this group are editors (repeat for more).", HelpName = "GROUP" };
    private readonly Option<string[]> _viewers = new("--oidc-viewer-group")
    {
        Description = "Only members of this group are viewers (repeat for more); without it everyone the provider signs in is at least a viewer.",
        HelpName = "GROUP",
    };

    private readonly Option<string[]> _proxies = new("--trusted-proxy")
    {
        Description = "The address of a reverse proxy in front of the server (repeat for more): its X-Forwarded-For and X-Forwarded-Proto " +
            "are believed, so cookies are Secure behind an HTTPS proxy and refusals are counted per real caller.",
        HelpName = "ADDRESS",
    };

    public IEnumerable<Option> All => [_readOpen, _proxies, _authority, _clientId, _secretVariable, _groupsClaim, _admins, _editors, _viewers];

    /// <summary>The settings, or null with one line on stderr saying what is wrong.</summary>
    public async Task<AccessSettings?> ReadAsync(ParseResult parsed, Console console)
    {
        var proxies = new List<System.Net.IPAddress>();
        foreach (var text in parsed.GetValue(_proxies) ?? [])
        {
            if (!System.Net.IPAddress.TryParse(text, out var address))
            {
                await console.Error.WriteLineAsync($"throughline serve: --trusted-proxy '{text}' is not an IP address (such as 10.0.0.5 or ::1).");
                return null;
            }

            proxies.Add(address);
        }

        var authorityText = parsed.GetValue(_authority);
        var clientId = parsed.GetValue(_clientId);
        if (authorityText is null && clientId is null)
        {
            return new AccessSettings(parsed.GetValue(_readOpen), TrustedProxies: proxies);
        }

        if (authorityText is null || clientId is null || !Uri.TryCreate(authorityText, UriKind.Absolute, out var authority)
            || authority.Scheme is not ("http" or "https"))
        {
            await console.Error.WriteLineAsync(
                "throughline serve: sign-in needs both --oidc-authority (an absolute https:// URL, such as https://login.example.com/realms/eng) and --oidc-client-id.");
            return null;
        }

        if (authority.Scheme != Uri.UriSchemeHttps && !authority.IsLoopback)
        {
            await console.Error.WriteLineAsync($"throughline serve: --oidc-authority {authority} must use HTTPS (plain HTTP only for a provider on this machine).");
            return null;
        }

        var secret = Environment.GetEnvironmentVariable(parsed.GetValue(_secretVariable)!);
        return new AccessSettings(parsed.GetValue(_readOpen), new OidcSettings(
            authority, clientId, string.IsNullOrEmpty(secret) ? null : secret, parsed.GetValue(_groupsClaim)!,
            parsed.GetValue(_admins) ?? [], parsed.GetValue(_editors) ?? [], parsed.GetValue(_viewers) ?? []), TrustedProxies: proxies);
    }

    /// <summary>On a database that has never held a token, makes the first admin token and prints it once.</summary>
    public static async Task PrintFirstAdminTokenAsync(IEventStore store, Console console, CancellationToken cancellationToken)
    {
        var issued = await ApiTokens.CreateAsync(
            store, Role.Admin, [], "first admin", "first start", TimeProvider.System.GetUtcNow(), null, onlyIfFirst: true, cancellationToken);
        if (issued is not null)
        {
            await console.Output.WriteLineAsync($"First start: admin token {issued.Secret}");
            await console.Output.WriteLineAsync("  It is shown once and stored only as a hash; keep it somewhere safe. Make more with 'throughline token create'.");
        }
    }
}
