namespace Throughline.Bench.Http;

/// <summary>The HTTP client the load commands share: one connection pool sized for the senders.</summary>
internal static class BenchHttp
{
    /// <summary>The base address with a trailing slash, or null when <paramref name="url"/> is not an http(s) address.</summary>
    public static Uri? BaseAddress(string url) =>
        Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var server) && server.Scheme is "http" or "https" ? server : null;

    /// <summary>One client for the whole run, allowing <paramref name="connections"/> requests in flight at once.</summary>
    public static HttpClient CreateClient(Uri server, int connections, TimeSpan timeout) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseProxy = false })
        {
            BaseAddress = server,
            Timeout = timeout,
        };

    /// <summary>Asks <c>GET /healthz</c> once (which also opens the first connection); prints why not on stderr.</summary>
    public static async Task<bool> IsHealthyAsync(HttpClient http, string verb, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync("healthz", cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return true;
            }

            await Console.Error.WriteLineAsync($"{verb}: {http.BaseAddress}healthz answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
        catch (HttpRequestException exception)
        {
            await Console.Error.WriteLineAsync($"{verb}: cannot reach {http.BaseAddress}: {exception.Message}");
        }

        return false;
    }
}
