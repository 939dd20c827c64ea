using System.CommandLine;
using System.Net;
using System.Net.Http.Headers;

namespace Throughline.Bench.Http;

/// <summary>The HTTP client the load commands share: one connection pool sized for the senders, and the server's token.</summary>
internal static class BenchHttp
{
    /// <summary>Where the commands look for their token when <c>--token</c> is not given: the variable <c>throughline emit</c> reads.</summary>
    public const string TokenVariable = "THROUGHLINE_TOKEN";

    /// <summary><c>--token</c>, shared by the commands; its value is read with <see cref="Token"/>.</summary>
    /// <remarks>No default value from the environment: the help would print the secret.</remarks>
    public static Option<string?> TokenOption() => new("--token")
    {
        Description = $"A token that may read and post events (throughline token create --role admin); default: ${TokenVariable}.",
        HelpName = "TOKEN",
    };

    /// <summary>The token given with <paramref name="option"/>, else the one in <see cref="TokenVariable"/>; null when neither is set.</summary>
    public static string? Token(ParseResult parsed, Option<string?> option) =>
        (parsed.GetValue(option) ?? Environment.GetEnvironmentVariable(TokenVariable)) is { } token && !string.IsNullOrWhiteSpace(token) ? token.Trim() : null;

    /// <summary>The base address with a trailing slash, or null when <paramref name="url"/> is not an http(s) address.</summary>
    public static Uri? BaseAddress(string url) =>
        Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var server) && server.Scheme is "http" or "https" ? server : null;

    /// <summary>One client for the whole run, allowing <paramref name="connections"/> requests in flight at once, sending <paramref name="token"/> on each.</summary>
    public static HttpClient CreateClient(Uri server, int connections, TimeSpan timeout, string token) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseProxy = false })
        {
            BaseAddress = server,
            Timeout = timeout,
            DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
        };

    /// <summary>What to do about an answer refused for its credentials; empty for any other status.</summary>
    public static string Hint(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized => $" (the token is missing, unknown, expired or revoked: pass --token or set {TokenVariable})",
        HttpStatusCode.Forbidden => " (the token's role may not do this: use an admin token)",
        _ => "",
    };

    /// <summary>Asks <c>GET /healthz</c> once (which also opens the first connection); prints why not on stderr.</summary>
    /// <remarks>A server whose timeline is still loading (503 <c>"status": "loading"</c>) counts as healthy: its database takes
    /// writes, and the commands that need the timeline loaded are run after the scripts' <c>wait_loaded</c>.</remarks>
    public static async Task<bool> IsHealthyAsync(HttpClient http, string verb, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync("healthz", cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode || body.Contains("\"status\":\"loading\"", StringComparison.Ordinal))
            {
                return true;
            }

            await Console.Error.WriteLineAsync($"{verb}: {http.BaseAddress}healthz answered {(int)response.StatusCode}{Hint(response.StatusCode)}: {body}");
        }
        catch (HttpRequestException exception)
        {
            await Console.Error.WriteLineAsync($"{verb}: cannot reach {http.BaseAddress}: {exception.Message}");
        }

        return false;
    }
}
