using System.Globalization;
using System.Net.Http.Headers;
using Throughline.Model;

namespace Throughline.Health;

/// <summary>Measures a metric rule: asks Prometheus' HTTP API for the rule's query at one instant and reads one number from the answer.</summary>
/// <remarks>
/// <para>One <c>GET {prometheus}/api/v1/query?query=...&amp;time=...</c> (an instant query) per measurement, evaluated at the given
/// time, not at "now", so a measurement due in the past (a restart mid-window) gets the value it had then. Time is sent in
/// Unix seconds with millisecond precision.</para>
/// <para>The answer is read as follows. An instant vector of one series, or a scalar: its value. An empty vector: no data.
/// NaN or an infinity (say 0/0 when there were no requests): no data. A vector of several series: an error, because a rule
/// judges one number and picking one series silently would judge the wrong one; the reason asks for an aggregation
/// (<c>sum()</c>, <c>max()</c>). A range vector or a string: an error. Prometheus' <c>status: error</c>, an HTTP error, a
/// timeout (<see cref="Timeout"/>), no connection, or an answer over 1 MiB: an error whose reason names the URL asked (without
/// user information or query).</para>
/// <para>Never throws for what Prometheus or the network does; throws <see cref="OperationCanceledException"/> only when the
/// caller's token is cancelled. Thread-safe, as the <see cref="HttpClient"/> it is given.</para>
/// </remarks>
/// <param name="http">The client requests are sent with (the host passes one; its own timeout applies too, if shorter).</param>
public sealed class PrometheusClient(HttpClient http)
{
    /// <summary>How long one request may take when <see cref="Timeout"/> is not set: 10 seconds.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The largest answer read: a rule's query returns one number, so anything near this is a query that needs aggregating.</summary>
    private const int MaxAnswerBytes = 1 << 20;

    /// <summary>How long one request may take, answer included, before the measurement is an error.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>Measures <paramref name="rule"/> for a deployment of <paramref name="service"/> to <paramref name="environment"/> at <paramref name="at"/>.</summary>
    /// <param name="prometheus">The Prometheus HTTP API's base URL (<see cref="MetricSignals.Prometheus"/>).</param>
    /// <param name="rule">The rule, whose query is asked after <see cref="QueryFor"/>'s substitutions.</param>
    /// <param name="service">The deployment's service id.</param>
    /// <param name="environment">The deployment's environment id.</param>
    /// <param name="at">The instant the query is evaluated at: the due time.</param>
    /// <param name="cancellationToken">Cancels the request; the only way this method throws for a request.</param>
    /// <returns>A measurement at <paramref name="at"/>: a value, no data, or an error, with the reason.</returns>
    public Task<Measurement> MeasureAsync(
        string prometheus, MetricRule rule, string service, string environment, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return QueryAsync(prometheus, QueryFor(rule.Query, service, environment), at, cancellationToken);
    }

    /// <summary>Asks <paramref name="query"/> as it is, at <paramref name="at"/>.</summary>
    /// <param name="prometheus">The Prometheus HTTP API's base URL, with or without a trailing slash or a path prefix.</param>
    /// <param name="query">The PromQL expression.</param>
    /// <param name="at">The instant the query is evaluated at.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<Measurement> QueryAsync(string prometheus, string query, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prometheus);
        ArgumentNullException.ThrowIfNull(query);
        if (!Uri.TryCreate(prometheus.TrimEnd('/') + "/api/v1/query", UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"'{prometheus}' is not an absolute http or https URL", nameof(prometheus));
        }

        var shown = endpoint.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
        var time = (at.ToUnixTimeMilliseconds() / 1000m).ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{endpoint.AbsoluteUri}?query={Uri.EscapeDataString(query)}&time={time}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Timeout);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token);
            var body = await ReadAsync(response.Content, limit.Token);
            return body is null
                ? Measurement.Failed(at, $"Prometheus at {shown} answered with more than {MaxAnswerBytes / (1 << 20)} MiB; a rule's query must return one number: aggregate it with sum() or max()")
                : PrometheusAnswer.Read(at, shown, query, response.StatusCode, body);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Measurement.Failed(at, $"Prometheus at {shown} did not answer within {Timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s");
        }
        catch (HttpRequestException exception)
        {
            return Measurement.Failed(at, $"Prometheus at {shown} could not be reached: {exception.Message}");
        }
        catch (IOException exception)
        {
            return Measurement.Failed(at, $"Prometheus at {shown} broke off its answer: {exception.Message}");
        }
    }

    /// <summary>The query with <c>{service}</c> and <c>{environment}</c> replaced by the deployment's values, escaped for a PromQL string.</summary>
    /// <param name="query">The rule's query.</param>
    /// <param name="service">The service id.</param>
    /// <param name="environment">The environment id.</param>
    /// <remarks>
    /// Meant inside a double-quoted label value (<c>service="{service}"</c>): backslash and double quote are escaped, and so are
    /// line breaks, so a value can neither end the string nor break the query. Ids in the model are kebab-case, so in practice
    /// the values go in unchanged.
    /// </remarks>
    public static string QueryFor(string query, string service, string environment)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(environment);
        return query.Replace("{service}", Escaped(service), StringComparison.Ordinal)
            .Replace("{environment}", Escaped(environment), StringComparison.Ordinal);
    }

    private static string Escaped(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal)
            .Replace("\r", "\\r", StringComparison.Ordinal);

    /// <summary>The answer's bytes; null when it is larger than <see cref="MaxAnswerBytes"/>.</summary>
    private static async Task<byte[]?> ReadAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > MaxAnswerBytes)
        {
            return null;
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxAnswerBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
