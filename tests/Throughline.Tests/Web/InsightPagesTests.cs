using System.Net;
using System.Text.RegularExpressions;
using Throughline.Model;
using Throughline.Tests.Support;

namespace Throughline.Tests.Web;

public sealed class InsightPagesTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static async Task<(HttpStatusCode Status, string Html)> GetAsync(RunningServer server, string url)
    {
        using var response = await server.Client.GetAsync(url, Cancel);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Cancel));
    }

    [Fact]
    public async Task Dashboard_WorkedExample_TilesWithTheirBasis()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await WorkedExample.StartServerAsync(database);

        var (status, html) = await GetAsync(server, "/metrics-dashboard?from=2026-03-01&to=2026-03-08");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("5 deployments on 4 days", html, StringComparison.Ordinal);
        Assert.Contains("4 changes, median 24.5 h, p75 34.5 h, p90 51.6 h", html, StringComparison.Ordinal);
        Assert.Contains("2 failed of 5", html, StringComparison.Ordinal);
        Assert.Contains("2 recovered, 0 not recovered yet", html, StringComparison.Ordinal);
        Assert.Contains("id=\"def-changeFailureRate\"", html, StringComparison.Ordinal);
        Assert.Contains("/metrics-dashboard/evidence?metric=deploymentFrequency&amp;from=2026-03-01&amp;to=2026-03-08", html, StringComparison.Ordinal);
        Assert.Contains("<script type=\"application/json\" id=\"metrics-series\">", html, StringComparison.Ordinal);
        Assert.Equal(5 * 7, Regex.Matches(html, "<th scope=\"row\">2026-03-0[1-7]</th>").Count);
    }

    [Fact]
    public async Task Dashboard_EmptyWindow_NoDataNeverZero()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await WorkedExample.StartServerAsync(database);

        var (status, html) = await GetAsync(server, "/metrics-dashboard?from=2025-01-01&to=2025-02-01");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<p class=\"value\">no data</p>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<p class=\"value\">0 %</p>", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/metrics-dashboard?from=yesterday")]
    [InlineData("/metrics-dashboard?interval=hour")]
    [InlineData("/metrics-dashboard/evidence?metric=happiness")]
    public async Task BadQuery_400WithTheReason(string url)
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await RunningServer.StartAsync(database.Database);

        var (status, html) = await GetAsync(server, url);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("role=\"alert\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evidence_DeploymentFrequency_ListsTheFiveDeployments()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await WorkedExample.StartServerAsync(database);

        var (status, html) = await GetAsync(server, "/metrics-dashboard/evidence?metric=deploymentFrequency&from=2026-03-01&to=2026-03-08");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(5, Regex.Matches(html, "data-deployment=").Count);
        Assert.Contains("5 deployments on 4 days", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evidence_LeadTimeAndRecovery_ItemsBehindTheNumbers()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await WorkedExample.StartServerAsync(database);

        var (_, lead) = await GetAsync(server, "/metrics-dashboard/evidence?metric=changeLeadTime&from=2026-03-01&to=2026-03-08");
        var (_, recovery) = await GetAsync(server, "/metrics-dashboard/evidence?metric=failedDeploymentRecoveryTime&from=2026-03-01&to=2026-03-08");

        Assert.Equal(4, Regex.Matches(lead, "<th scope=\"row\"><a href=\"/changes/").Count);
        Assert.Equal(2, Regex.Matches(recovery, "data-deployment=").Count);
    }

    [Fact]
    public async Task Model_WithAndWithout()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using (var server = await WorkedExample.StartServerAsync(database))
        {
            var (status, html) = await GetAsync(server, "/model");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Contains("Worked Example", html, StringComparison.Ordinal);
            Assert.Contains("The model is valid", html, StringComparison.Ordinal);
            Assert.Contains("checkout", html, StringComparison.Ordinal);
        }

        await using var bare = await RunningServer.StartAsync(database.Database);
        var (bareStatus, bareHtml) = await GetAsync(bare, "/model");
        Assert.Equal(HttpStatusCode.OK, bareStatus);
        Assert.Contains("throughline serve --model throughline.yaml", bareHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Model_WarningsFromValidationAreShown()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        var loaded = OperatingModelLoader.LoadText(
            Some.TestData("dora/dora-worked-example.yaml") + "tools:\n  - id: github\n    kind: github\n    secret: ${THROUGHLINE_TEST_SURELY_UNSET_SECRET}\n", "served.yaml");
        await using var server = await RunningServer.StartAsync(database.Database, model: loaded.Model, modelWarnings: loaded.Problems);

        var html = await server.Client.GetStringAsync("/model", TestContext.Current.CancellationToken);

        Assert.NotEmpty(loaded.Problems);
        Assert.Contains("served.yaml:", html, StringComparison.Ordinal);
        Assert.Contains("warning:", html, StringComparison.Ordinal);
    }
}
