using System.Net;
using System.Text;
using Throughline.Tests.Support;
using Throughline.Web;

namespace Throughline.Tests.Web;

/// <summary>The security headers on every kind of answer, and the policy's form targets.</summary>
public sealed class SecurityHeadersTests
{
    private const string Policy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("GET", "/", HttpStatusCode.OK, "text/html")]
    [InlineData("GET", "/model", HttpStatusCode.OK, "text/html")]
    [InlineData("GET", "/api/board", HttpStatusCode.OK, "application/json")]
    [InlineData("GET", "/api/changes/no-such-change", HttpStatusCode.NotFound, "application/problem+json")]
    [InlineData("POST", "/api/events", HttpStatusCode.BadRequest, "application/problem+json")]
    [InlineData("GET", "/changes/no-such-change", HttpStatusCode.NotFound, "text/html")]
    [InlineData("GET", "/no-such-page", HttpStatusCode.NotFound, null)]
    [InlineData("GET", "/assets/css/site.css", HttpStatusCode.OK, "text/css")]
    [InlineData("GET", "/assets/js/board.js", HttpStatusCode.OK, "text/javascript")]
    [InlineData("GET", "/favicon.ico", HttpStatusCode.OK, "image/x-icon")]
    [InlineData("GET", "/healthz", HttpStatusCode.OK, "application/json")]
    [InlineData("GET", "/openapi/v1.json", HttpStatusCode.OK, "application/json")]
    public async Task EveryAnswer_CarriesTheSecurityHeaders(string method, string path, HttpStatusCode status, string? mediaType)
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await RunningServer.StartAsync(database.Database);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new StringContent("{not json", Encoding.UTF8, "application/json");
        }

        using var response = await server.Client.SendAsync(request, Cancel);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Policy, Header(response, "Content-Security-Policy"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("same-origin", Header(response, "Cross-Origin-Opener-Policy"));
    }

    [Fact]
    public async Task DocsPage_DrawsDiagrams_InlineStylesAllowedThereOnly()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await RunningServer.StartAsync(database.Database);

        using var docs = await server.Client.GetAsync("/docs/services/checkout", Cancel);
        using var model = await server.Client.GetAsync("/model", Cancel);

        Assert.Equal(Policy.Replace("style-src 'self';", "style-src 'self' 'unsafe-inline';", StringComparison.Ordinal), Header(docs, "Content-Security-Policy"));
        Assert.Equal(Policy, Header(model, "Content-Security-Policy"));
        Assert.Equal("nosniff", Header(docs, "X-Content-Type-Options"));
    }

    [Fact]
    public void ContentSecurityPolicy_FormTargets_AddTheOriginOnly()
    {
        var policy = SecurityHeaders.ContentSecurityPolicy("https://id.example.com/realms/acme?prompt=login", "http://localhost:8081/", "https://id.example.com");

        Assert.EndsWith("; form-action 'self' https://id.example.com http://localhost:8081", policy, StringComparison.Ordinal);
        Assert.StartsWith("default-src 'self'; script-src 'self'; style-src 'self';", policy, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("id.example.com")]
    [InlineData("javascript:alert(1)")]
    [InlineData("https://id.example.com; script-src *")]
    [InlineData("'unsafe-inline'")]
    [InlineData("")]
    public void ContentSecurityPolicy_FormTargetNotAnHttpAddress_Throws(string origin)
    {
        var refused = Assert.Throws<ArgumentException>(() => SecurityHeaders.ContentSecurityPolicy(origin));

        Assert.Contains("not an absolute http or https address", refused.Message, StringComparison.Ordinal);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(", ", values) : null;
}
