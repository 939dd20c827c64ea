using System.Collections.Concurrent;
using System.Net;

namespace Throughline.Health;

/// <summary>
/// Posts a JSON body to a receiver Throughline was told to call (a notification webhook, the rollback action): signed,
/// retried with backoff, and never to an internal address unless the host is allowed.
/// </summary>
/// <remarks>
/// <para>Headers: <c>Content-Type: application/json</c>, <c>User-Agent: Throughline</c>, <c>Idempotency-Key</c> (the caller's,
/// the same on every attempt), <c>X-Throughline-Delivery</c> (new on every attempt), and with a secret
/// <c>X-Throughline-Signature-256: sha256=HEX</c>, the lowercase hex HMAC-SHA256 of the body's exact bytes.</para>
/// <para>Retried: no connection, a timeout, 408, 429 and 5xx, after <see cref="OutgoingBackoff.DelayBefore"/> (which honours
/// <c>Retry-After</c>, capped). Not retried: any other 4xx, a 3xx (redirects are never followed; the error names where it
/// pointed), a refusal. Only http and https are called, and never through a proxy: the address check needs the connection
/// to go to the receiver itself.</para>
/// <para>The address check is made on the addresses actually connected to (<see cref="OutgoingConnector"/>), before
/// connecting; <see cref="OutgoingCallOptions.AllowHosts"/> lifts it for the hosts it names.</para>
/// <para>One instance serves the whole process and is thread-safe. It keeps one connection pool per distinct allow list
/// (at most <see cref="MaxAllowLists"/>; lists come from configuration), so a connection opened for a host one list allows
/// never carries a call made under a list that does not.</para>
/// </remarks>
public sealed partial class OutgoingCall : IDisposable
{
    /// <summary>The signature header's name.</summary>
    public const string SignatureHeader = OutgoingSignature.Header;

    /// <summary>The idempotency key header's name.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>The header naming one attempt.</summary>
    public const string DeliveryHeader = "X-Throughline-Delivery";

    /// <summary>How many distinct allow lists one instance serves before it takes the next for a bug.</summary>
    public const int MaxAllowLists = 16;

    private const int MaxErrorLength = 300;
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);
    // Connections are kept a short while only, so a host's new DNS answer is resolved and checked again.
    private static readonly TimeSpan PooledConnectionLifetime = TimeSpan.FromMinutes(2);

    private readonly TimeProvider _time;
    private readonly OutgoingBackoff _backoff;
    private readonly OutgoingNetwork _network;
    private readonly ConcurrentDictionary<string, HttpMessageInvoker> _invokers = new(StringComparer.Ordinal);
    private readonly Lock _invokersLock = new();

    /// <summary>Makes the one instance a process needs.</summary>
    /// <param name="timeProvider">The clock for timeouts and the waits between attempts.</param>
    /// <param name="backoff">The waits between attempts; <see cref="OutgoingBackoff.Default"/> when null.</param>
    public OutgoingCall(TimeProvider timeProvider, OutgoingBackoff? backoff = null)
        : this(timeProvider, backoff, OutgoingNetwork.System)
    {
    }

    internal OutgoingCall(TimeProvider timeProvider, OutgoingBackoff? backoff, OutgoingNetwork network)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(network);
        _time = timeProvider;
        _backoff = backoff ?? OutgoingBackoff.Default;
        _network = network;
    }

    /// <summary>Posts <paramref name="body"/> to <paramref name="url"/>, trying again as <paramref name="options"/> allow.</summary>
    /// <param name="url">The receiver: an absolute http or https URL.</param>
    /// <param name="body">The JSON body, sent and signed byte for byte.</param>
    /// <param name="options">The secret, timeout, retries, allowed hosts and idempotency key.</param>
    /// <param name="cancellationToken">Stops the call, between or during attempts; the call then throws.</param>
    /// <returns>Whether the receiver took it, and what each failed attempt met; expected failures are never thrown.</returns>
    public async Task<OutgoingCallResult> PostAsync(
        Uri url, ReadOnlyMemory<byte> body, OutgoingCallOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.AllowHosts);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.IdempotencyKey);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Retries);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Timeout, TimeSpan.Zero);
        if (!url.IsAbsoluteUri)
        {
            throw new ArgumentException("an outgoing call needs an absolute URL", nameof(url));
        }

        var target = Name(url);
        if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
        {
            var refusal = $"{target} refused: only http and https URLs are called, not {url.Scheme}";
            return new(false, null, 0, [refusal], refusal);
        }

        var invoker = InvokerFor(options.AllowHosts);
        var signature = options.Secret is { Length: > 0 } secret ? OutgoingSignature.Of(secret, body.Span) : null;
        var errors = new List<string>();
        for (var attempt = 1; ; attempt++)
        {
            var outcome = await AttemptAsync(invoker, url, body, signature, options, cancellationToken);
            if (outcome.Succeeded)
            {
                return new(true, outcome.Status, attempt, errors);
            }

            if (outcome.Refused is { } refused)
            {
                var refusal = $"{target} refused: {refused.Message}; Throughline calls no internal address unless allowed: "
                    + $"to call it anyway, add the host '{refused.Host}' to {options.AllowHostsSetting}";
                return new(false, null, attempt - 1, [.. errors, refusal], refusal, refused.Address.ToString());
            }

            errors.Add($"attempt {attempt}: POST {target} {Shorten(outcome.Error)}");
            if (!outcome.Transient || attempt > options.Retries)
            {
                return new(false, outcome.Status, attempt, errors);
            }

            await Task.Delay(_backoff.DelayBefore(attempt, outcome.RetryAfter), _time, cancellationToken);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var invoker in _invokers.Values)
        {
            invoker.Dispose();
        }
    }

    /// <summary>
    /// A receiver as errors name it: scheme, host and port, and <c>/…</c> for the rest, because a webhook URL's path and
    /// query are often its secret (Slack's <c>/services/T…/B…/SECRET</c>) and user information always is.
    /// </summary>
    internal static string Name(Uri url) =>
        url.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped) + (url.PathAndQuery is "/" or "" ? "" : "/…");

    private HttpMessageInvoker InvokerFor(IReadOnlyList<string> allowHosts)
    {
        var hosts = allowHosts.Select(OutgoingConnector.HostKey).Where(host => host.Length > 0).ToHashSet(StringComparer.Ordinal);
        var key = string.Join('\n', hosts.Order(StringComparer.Ordinal));
        if (_invokers.TryGetValue(key, out var invoker))
        {
            return invoker;
        }

        lock (_invokersLock)
        {
            if (_invokers.TryGetValue(key, out invoker))
            {
                return invoker;
            }

            if (_invokers.Count >= MaxAllowLists)
            {
                throw new InvalidOperationException(
                    $"outgoing calls were made under {_invokers.Count} different allow lists; they come from configuration, so this is a bug");
            }

            var handler = new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseProxy = false,
                UseCookies = false,
                AutomaticDecompression = DecompressionMethods.None,
                ConnectTimeout = ConnectTimeout,
                PooledConnectionLifetime = PooledConnectionLifetime,
                ConnectCallback = new OutgoingConnector(hosts, _network).ConnectAsync,
            };
            invoker = new HttpMessageInvoker(handler, disposeHandler: true);
            _invokers[key] = invoker;
            return invoker;
        }
    }

    private static string Shorten(string text) => text.Length <= MaxErrorLength ? text : text[..MaxErrorLength] + "…";
}
