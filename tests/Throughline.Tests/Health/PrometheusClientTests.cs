using System.Net;
using System.Net.Sockets;
using System.Text;
using Throughline.Health;
using Throughline.Model;
using Throughline.Tests.Support;

namespace Throughline.Tests.Health;

/// <summary>What the client reads from a real Prometheus (scraping an exporter the test controls), and from one that fails.</summary>
public sealed class PrometheusClientTests(PrometheusFixture fixture) : IDisposable
{
    private readonly HttpClient _http = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static DateTimeOffset Now => TimeProvider.System.GetUtcNow();

    private static MetricRule Rule(string query) =>
        new("error-rate", query, TimeSpan.FromSeconds(1), MetricCondition.Parse("> 0.02")!, 0, 0, 1, NoDataPolicy.Inconclusive);

    private async Task<Measurement> AskAsync(string query, DateTimeOffset? at = null)
    {
        var prometheus = await fixture.ServerAsync();
        return await new PrometheusClient(_http).QueryAsync(prometheus.Address, query, at ?? Now, Cancel);
    }

    [Fact]
    public async Task Query_OneSeries_IsItsValue_AtTheInstantAsked()
    {
        var prometheus = await fixture.ServerAsync();
        var at = await prometheus.SetAsync("error_ratio{service=\"one-series\"}", 0.0125);

        var measurement = await AskAsync("error_ratio{service=\"one-series\"}", at);

        Assert.Equal(Measurement.Of(at, 0.0125), measurement);
    }

    [Fact]
    public async Task Query_Scalar_IsItsValue()
    {
        var measurement = await AskAsync("scalar(vector(0.25)) * 2");

        Assert.Equal(0.5, measurement.Value);
    }

    [Fact]
    public async Task Query_PastInstant_IsTheValueThen_NotTheCurrentOne()
    {
        var prometheus = await fixture.ServerAsync();
        var before = await prometheus.SetAsync("error_ratio{service=\"past\"}", 0.01);
        var after = await prometheus.SetAsync("error_ratio{service=\"past\"}", 0.05);

        var then = await AskAsync("error_ratio{service=\"past\"}", before);
        var now = await AskAsync("error_ratio{service=\"past\"}", after);

        Assert.Equal(0.01, then.Value);
        Assert.Equal(0.05, now.Value);
    }

    [Fact]
    public async Task Query_SeriesThatDoesNotExist_IsEmpty_NotAnError()
    {
        var measurement = await AskAsync("error_ratio{service=\"no-such-service\"}");

        Assert.Null(measurement.Value);
        Assert.False(measurement.IsError);
        Assert.Matches(@"^Prometheus at http://127\.0\.0\.1:\d+/api/v1/query returned no series for error_ratio\{service=""no-such-service""\}$", measurement.NoDataReason);
    }

    [Theory]
    [InlineData("0/0", "returned NaN for the query")]
    [InlineData("1/0", "returned +Inf for the query")]
    [InlineData("-1/0", "returned -Inf for the query")]
    public async Task Query_NotANumber_IsEmpty(string query, string reason)
    {
        var measurement = await AskAsync(query);

        Assert.Null(measurement.Value);
        Assert.False(measurement.IsError);
        Assert.Contains(reason, measurement.NoDataReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_SeveralSeries_IsAnErrorAskingForAnAggregation()
    {
        var prometheus = await fixture.ServerAsync();
        prometheus.Exporter.Set("errors_total{service=\"several\",code=\"500\"}", 3);
        await prometheus.SetAsync("errors_total{service=\"several\",code=\"503\"}", 4);

        var several = await AskAsync("errors_total{service=\"several\"}");
        var summed = await AskAsync("sum(errors_total{service=\"several\"})");

        Assert.True(several.IsError);
        Assert.Contains("returned 2 series for the query (errors_total{code=\"50", several.NoDataReason, StringComparison.Ordinal);
        Assert.EndsWith("a rule needs one number: aggregate it with sum() or max()", several.NoDataReason, StringComparison.Ordinal);
        Assert.Equal(7, summed.Value);
    }

    [Fact]
    public async Task Query_RangeVector_IsAnError()
    {
        var measurement = await AskAsync("up[1m]");

        Assert.True(measurement.IsError);
        Assert.Contains("returned a range vector (matrix)", measurement.NoDataReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_BadPromQl_IsAnErrorWithPrometheusOwnMessage()
    {
        var prometheus = await fixture.ServerAsync();

        var measurement = await AskAsync("sum(rate(http_requests_total[5m])");

        Assert.True(measurement.IsError);
        Assert.Null(measurement.Value);
        Assert.StartsWith($"Prometheus at {prometheus.Address}/api/v1/query answered an error (bad_data): invalid parameter", measurement.NoDataReason, StringComparison.Ordinal);
        Assert.Contains("parse error", measurement.NoDataReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Measure_SubstitutesTheDeploymentsServiceAndEnvironment()
    {
        var prometheus = await fixture.ServerAsync();
        prometheus.Exporter.Set("error_ratio{service=\"checkout\",environment=\"staging\"}", 0.5);
        await prometheus.SetAsync("error_ratio{service=\"checkout\",environment=\"production\"}", 0.03);
        var rule = Rule("max(error_ratio{service=\"{service}\", environment=\"{environment}\"})");

        var measurement = await new PrometheusClient(_http).MeasureAsync(prometheus.Address, rule, "checkout", "production", Now, Cancel);

        Assert.Equal(0.03, measurement.Value);
    }

    [Fact]
    public async Task Measure_QuoteAndBackslashInAValue_AreEscapedForPromQl()
    {
        var prometheus = await fixture.ServerAsync();
        await prometheus.SetAsync("error_ratio{service=\"we\\\"ird\\\\id\",environment=\"prod\"}", 0.04);
        var rule = Rule("error_ratio{service=\"{service}\", environment=\"{environment}\"}");

        var measurement = await new PrometheusClient(_http).MeasureAsync(prometheus.Address, rule, "we\"ird\\id", "prod", Now, Cancel);

        Assert.Equal(0.04, measurement.Value);
    }

    [Fact]
    public void QueryFor_EscapesBackslashQuoteAndLineBreaks()
    {
        var query = PrometheusClient.QueryFor("x{service=\"{service}\", environment=\"{environment}\"}", "a\"b\\c", "d\ne");

        Assert.Equal("x{service=\"a\\\"b\\\\c\", environment=\"d\\ne\"}", query);
    }

    [Fact]
    public async Task Query_NobodyListening_IsAnErrorNamingTheUrl_WithoutItsUserInformation()
    {
        var port = ClosedPort();

        var measurement = await new PrometheusClient(_http).QueryAsync($"http://reader:s3cret@127.0.0.1:{port}/", "up", Now, Cancel);

        Assert.True(measurement.IsError);
        Assert.StartsWith($"Prometheus at http://127.0.0.1:{port}/api/v1/query could not be reached: ", measurement.NoDataReason, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", measurement.NoDataReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_NoAnswerWithinTheTimeout_IsAnError()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var client = new PrometheusClient(_http) { Timeout = TimeSpan.FromMilliseconds(300) };

        var measurement = await client.QueryAsync($"http://127.0.0.1:{port}", "up", Now, Cancel);

        Assert.True(measurement.IsError);
        Assert.Equal($"Prometheus at http://127.0.0.1:{port}/api/v1/query did not answer within 0.3 s", measurement.NoDataReason);
    }

    [Fact]
    public async Task Query_ProxyErrorPage_IsAnErrorWithTheStatus()
    {
        using var http = new HttpClient(new FixedAnswer(HttpStatusCode.BadGateway, "<html><body>502 Bad Gateway</body></html>"));

        var measurement = await new PrometheusClient(http).QueryAsync("https://prometheus.example/prom", "up", Now, Cancel);

        Assert.True(measurement.IsError);
        Assert.Equal(
            "Prometheus at https://prometheus.example/prom/api/v1/query answered HTTP 502 with no JSON: <html><body>502 Bad Gateway</body></html>",
            measurement.NoDataReason);
    }

    [Fact]
    public async Task Query_CallerCancels_Throws()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new PrometheusClient(_http).QueryAsync("http://127.0.0.1:9", "up", Now, cancelled.Token));
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Answers every request with the same status and body, as a proxy in front of Prometheus might.</summary>
    private sealed class FixedAnswer(HttpStatusCode status, string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "text/html") });
    }
}
