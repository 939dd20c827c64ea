using System.Net;
using Throughline.Tests.Support;

namespace Throughline.Tests.Web;

/// <summary>The icon every browser asks for: a 404 there is a console error in Chromium, which the browser tests refuse.</summary>
public sealed class FaviconTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FaviconIco_IsARealIcon()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await RunningServer.StartAsync(database.Database);

        using var response = await server.Client.GetAsync("/favicon.ico", Cancel);
        var bytes = await response.Content.ReadAsByteArrayAsync(Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("image/", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Equal(new byte[] { 0, 0, 1, 0 }, bytes[..4]); // the ICONDIR header: reserved 0, type 1 (icon)
    }

    [Fact]
    public async Task PageShell_LinksIconsThatAnswer()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await RunningServer.StartAsync(database.Database);

        var html = await server.Client.GetStringAsync("/model", Cancel);
        using var svg = await server.Client.GetAsync("/assets/favicon.svg", Cancel);

        Assert.Contains("<link rel=\"icon\" href=\"/favicon.ico\"", html, StringComparison.Ordinal);
        Assert.Contains("<link rel=\"icon\" href=\"/assets/favicon.svg\" type=\"image/svg+xml\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, svg.StatusCode);
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType);
    }
}
