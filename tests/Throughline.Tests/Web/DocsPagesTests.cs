using System.Net;
using Throughline.Tests.Support;

namespace Throughline.Tests.Web;

/// <summary>The onboarding docs pages over HTTP where no browser is needed: a server without a model.</summary>
public sealed class DocsPagesTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Docs_NoModel_NotFoundSayingToStartWithAModel()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await RunningServer.StartAsync(database.Database);

        using var response = await server.Client.GetAsync("/docs", Cancel);
        var html = await response.Content.ReadAsStringAsync(Cancel);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("start the server with --model", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/docs\"", html, StringComparison.Ordinal);
    }
}
