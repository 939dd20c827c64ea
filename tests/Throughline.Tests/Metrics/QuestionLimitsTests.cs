using System.Net.Http.Json;
using System.Net;
using System.Text.Json;
using Throughline.Metrics;
using Throughline.Tests.Cli;
using Throughline.Tests.Support;

namespace Throughline.Tests.Metrics;

/// <summary>Questions beyond the documented limits (docs/reliability.md, "Question limits") are refused with the limit, never a 500.</summary>
public sealed class QuestionLimitsTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("/api/metrics/dora?from=0001-01-01&to=9999-12-31&interval=day", "from 1970-01-01 to 9999-01-01")]
    [InlineData("/api/metrics/dora?from=1970-01-01&to=9000-01-01&interval=day", "at most 3653 days")]
    [InlineData("/api/metrics/dora?to=0001-01-05", "from 1970-01-01 to 9999-01-01")]
    [InlineData("/api/metrics/dora?from=2024-01-01&to=2026-12-31&interval=day", "at most 1000 intervals")]
    [InlineData("/api/metrics/dora?from=2024-01-01&to=2026-12-31&interval=week", null)]
    [InlineData("/api/metrics/flow?from=9998-12-30&to=9999-12-31T12:00:00Z", "from 1970-01-01 to 9999-01-01")]
    [InlineData("/api/metrics/flow?from=0001-01-01T00:00:00Z&to=0001-01-02T00:00:00Z", "from 1970-01-01 to 9999-01-01")]
    [InlineData("/api/metrics/quality?from=1970-01-01&to=9999-01-01", "at most 3653 days")]
    [InlineData("/api/changes?limit=1001", "from 1 to 1000")]
    [InlineData("/api/events?limit=1001", "from 1 to 1000")]
    [InlineData("/api/audit?limit=1001", "from 1 to 1000")]
    public async Task Api_BeyondTheLimits_400NamingTheLimit(string url, string? limit)
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await WorkedExample.StartServerAsync(database);

        using var response = await server.Client.GetAsync(url, Cancel);
        var body = await response.Content.ReadAsStringAsync(Cancel);

        if (limit is null)
        {
            Assert.True(response.StatusCode == HttpStatusCode.OK, body);
            Assert.Equal(157, JsonDocument.Parse(body).RootElement.GetProperty("series").GetArrayLength());
            return;
        }

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body[..Math.Min(body.Length, 500)]}");
        Assert.Contains(limit, body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/metrics-dashboard?from=1970-01-01&to=9999-01-01", "at most 3653 days")]
    [InlineData("/metrics-dashboard?from=0001-01-01&to=9999-12-31&interval=day", "from 1970-01-01 to 9999-01-01")]
    [InlineData("/metrics-dashboard?to=0001-01-05", "from 1970-01-01 to 9999-01-01")]
    [InlineData("/metrics-dashboard?from=2024-01-01&to=2026-12-31&interval=day", "at most 1000 intervals")]
    [InlineData("/metrics-dashboard/evidence?metric=changeLeadTime&from=1970-01-01&to=9999-01-01", "at most 3653 days")]
    [InlineData("/value-stream?from=0001-01-01&to=9999-12-31", "from 1970-01-01 to 9999-01-01")]
    [InlineData("/value-stream?from=1970-01-01&to=9999-01-01", "at most 3653 days")]
    [InlineData("/value-stream?from=9998-12-30&to=9999-12-31T12:00:00Z", "from 1970-01-01 to 9999-01-01")]
    [InlineData("/value-stream?to=0001-01-05", "from 1970-01-01 to 9999-01-01")]
    [InlineData("/value-stream/evidence?figure=efficiency&from=9998-12-30&to=9999-12-31T12:00:00Z", "from 1970-01-01 to 9999-01-01")]
    [InlineData("/value-stream/evidence?figure=efficiency&at=9999-12-31T23:00:00Z", "from 1970-01-01 to 9999-01-01")]
    public async Task Pages_BeyondTheLimits_400PageNamingTheLimit(string url, string limit)
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await WorkedExample.StartServerAsync(database);

        using var response = await server.Client.GetAsync(url, Cancel);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Cancel));

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {html[..Math.Min(html.Length, 500)]}");
        Assert.Contains("role=\"alert\"", html, StringComparison.Ordinal);
        Assert.Contains(limit, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_BadEnd_TheProblemNamesThatParameterOnly()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await WorkedExample.StartServerAsync(database);

        using var response = await server.Client.GetAsync("/api/metrics/dora?to=0001-01-05", Cancel);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);

        Assert.Equal("The query parameter 'to' is invalid.", problem.GetProperty("title").GetString());
        Assert.Equal("to", problem.GetProperty("errors")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task Report_WindowBeyondTheLimit_UsageErrorNamingIt()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);

        var run = await CliRun.RunAsync("report", "--db", database.Database, "--from", "1970-01-01", "--to", "9999-01-01");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("at most 3653 days", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-03-01", "2026-03-08", false, 7)]
    [InlineData("2026-03-01T12:00:00Z", "2026-03-08T00:00:01Z", false, 8)]
    [InlineData("2026-03-04", "2026-03-05", true, 1)] // a Wednesday: its week starts on the Monday before
    [InlineData("2024-01-01", "2026-12-31", true, 157)]
    public void Intervals_CountsThePartialOnesAsTheSeriesDoes(string from, string to, bool weekly, int expected)
    {
        var query = MetricsQueryReader.Read(from, to, null, null, null, Now, null, out var problems)!;

        Assert.Empty(problems);
        Assert.Equal(expected, query.Intervals(weekly));
        Assert.Equal(expected, DoraCalculator.Series(Throughline.Timeline.TimelineBuilder.Build([], null), null, query, weekly).Count);
    }
}
