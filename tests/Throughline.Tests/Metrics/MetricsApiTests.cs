using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Throughline.Model;
using Throughline.Tests.Support;

namespace Throughline.Tests.Metrics;

public sealed class MetricsApiTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Dora_WeeklySeriesAndBands()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await WorkedExample.StartServerAsync(database);

        var answer = await server.Client.GetFromJsonAsync<JsonElement>("/api/metrics/dora?from=2026-03-01&to=2026-03-08&interval=day&bands=2024", Cancel);

        var series = answer.GetProperty("series").EnumerateArray().ToList();
        Assert.Equal(7, series.Count);
        Assert.Equal([0, 2, 1, 1, 0, 0, 1], series.Select(p => p.GetProperty("metrics").GetProperty("deploymentFrequency").GetProperty("deployments").GetInt32()));
        Assert.Equal("medium", answer.GetProperty("bands").GetProperty("changeFailureRate").GetString());
        Assert.Equal(2024, answer.GetProperty("bands").GetProperty("year").GetInt32());
        Assert.Contains("failed / production deployments", answer.GetProperty("definitions").GetProperty("changeFailureRate").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dora_EmptyWindow_NullsNotZeros()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await WorkedExample.StartServerAsync(database);

        var answer = await server.Client.GetFromJsonAsync<JsonElement>("/api/metrics/dora?from=2025-01-01&to=2025-02-01", Cancel);

        Assert.Equal(JsonValueKind.Null, answer.GetProperty("changeLeadTime").GetProperty("medianHours").ValueKind);
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("changeFailureRate").GetProperty("rate").ValueKind);
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("failedDeploymentRecoveryTime").GetProperty("medianHours").ValueKind);
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("deploymentReworkRate").GetProperty("rate").ValueKind);
        Assert.Equal(0, answer.GetProperty("deploymentFrequency").GetProperty("deployments").GetInt32());
    }

    [Theory]
    [InlineData("/api/metrics/dora?from=yesterday", "'from' is 'yesterday'")]
    [InlineData("/api/metrics/dora?from=2026-03-08&to=2026-03-01", "must be after")]
    [InlineData("/api/metrics/dora?interval=hour", "not day or week")]
    [InlineData("/api/metrics/flow?team=nobody", "unknown team 'nobody'")]
    public async Task Metrics_BadQuery_400SaysWhy(string url, string expected)
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await WorkedExample.StartServerAsync(database);

        using var response = await server.Client.GetAsync(url, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quality_NamesEachGap()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await WorkedExample.StartServerAsync(database);
        using var custom = await server.Client.PostAsync("/api/events", new StringContent(Some.CdEvent(type: "dev.cdeventsx.mytool-thing.happened.0.1.0", source: "/mytool"), Encoding.UTF8, "application/json"), Cancel);
        await TimelineCatchUp.AwaitAsync(server);

        var quality = await server.Client.GetFromJsonAsync<JsonElement>("/api/metrics/quality?from=2026-02-01&to=2026-03-08", Cancel);

        Assert.Equal(1, quality.GetProperty("deploymentsWithoutChange").GetInt32());
        Assert.Equal("worked-18", quality.GetProperty("deploymentsWithoutChangeExamples")[0].GetString());
        Assert.Equal(1, quality.GetProperty("changesPredatingHistory").GetInt32());
        var unmapped = Assert.Single(quality.GetProperty("unmapped").EnumerateArray());
        Assert.Equal(("/mytool", 1), (unmapped.GetProperty("source").GetString(), unmapped.GetProperty("events").GetInt32()));
        Assert.Contains("beyond the 24 h attribution window", quality.GetProperty("unattributedIncidents")[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prometheus_PerServiceGaugesAndOwnHealth()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await WorkedExample.StartServerAsync(database);

        using var response = await server.Client.GetAsync("/metrics", Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);

        Assert.StartsWith("text/plain; version=0.0.4", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        Assert.Contains("# TYPE throughline_deployments gauge\n", text, StringComparison.Ordinal);
        Assert.Contains("throughline_deployments{service=\"checkout\"} 0\n", text, StringComparison.Ordinal); // the example is in March
        Assert.Contains("throughline_events_stored 29\n", text, StringComparison.Ordinal);
        Assert.Contains("throughline_projection_lag_events 0\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE throughline_timeline_facts_held gauge\n", text, StringComparison.Ordinal);
        Assert.Contains("throughline_timeline_facts_reread_total 0\n", text, StringComparison.Ordinal); // 29 events fit the default cache
    }

    [Fact]
    public async Task Flow_SimulatedOrganisation_PlausibleAndExplained()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        var folder = Path.GetDirectoryName(database.Database)!;
        await Cli.CliRun.RunAsync("simulate", "--days", "45", "--out", Path.Combine(folder, "h.jsonl"), "--model-out", Path.Combine(folder, "m.yaml"));
        await Cli.CliRun.RunAsync("ingest", "--db", database.Database, Path.Combine(folder, "h.jsonl"));
        await using var server = await RunningServer.StartAsync(database.Database, model: OperatingModelLoader.LoadFile(Path.Combine(folder, "m.yaml")).Model);
        await TimelineCatchUp.AwaitAsync(server);

        var flow = await server.Client.GetFromJsonAsync<JsonElement>("/api/metrics/flow?from=2026-01-05&to=2026-02-19", Cancel);
        var dora = await server.Client.GetFromJsonAsync<JsonElement>("/api/metrics/dora?from=2026-01-05&to=2026-02-19&service=checkout", Cancel);

        var stages = flow.GetProperty("stages").EnumerateArray().ToDictionary(s => s.GetProperty("stage").GetString()!);
        Assert.Equal(["review", "build", "staging", "qa-signoff", "production"], stages.Keys);
        Assert.True(stages["qa-signoff"].GetProperty("waiting").GetProperty("medianHours").GetDouble() > stages["build"].GetProperty("waiting").GetProperty("medianHours").GetDouble());
        Assert.True(stages["production"].GetProperty("waiting").GetProperty("medianHours").GetDouble() > 1, "the infra queue should show");
        Assert.Contains(flow.GetProperty("handoffs").EnumerateArray(), h => h.GetProperty("toTeam").GetString() == "qa");
        Assert.Equal(5, flow.GetProperty("bottlenecks").GetArrayLength());
        Assert.InRange(dora.GetProperty("changeFailureRate").GetProperty("rate").GetDouble(), 0.0, 0.5);
        Assert.True(dora.GetProperty("deploymentFrequency").GetProperty("deployments").GetInt32() > 20);
        Assert.InRange(dora.GetProperty("changeLeadTime").GetProperty("medianHours").GetDouble(), 1, 24 * 14);
    }
}
