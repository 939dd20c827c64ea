using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Throughline.Model;
using Microsoft.Extensions.DependencyInjection;
using Throughline.Tests.Support;
using Throughline.Web.ReleaseApi;

namespace Throughline.Tests.Web;

/// <summary>
/// The server verifies a deployment with a metric rule against a real Prometheus (scraping an exporter the test controls):
/// healthy, failed and no data, and a restart in the middle of the window resumes it, measuring the due times it missed.
/// </summary>
public sealed class ReleaseVerificationTests(PrometheusFixture fixture)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RestartDuringVerification_PastTheWindowsEnd_MeasuresTheMissedDueTimes_EachOnce(string provider)
    {
        var prometheus = await fixture.ServerAsync();
        var service = "restart-" + provider;
        await prometheus.SetAsync(Series(service), 0.01);
        await using var database = await TestDatabase.CreateAsync(provider);
        var model = ModelFor(prometheus.Address, service);
        var deployedAt = DateTimeOffset.UtcNow;
        await using (var first = await RunningServer.StartAsync(database.Database, model: model))
        {
            await PostAsync(first, Deployed(service, "a0", deployedAt.AddHours(-1)), Deployed(service, "a1", deployedAt));
            await MeasurementsAsync(first, service, atLeast: 2);
        }

        // Due times pass while nothing runs, and the window ends: the server measures them when it is back.
        var windowOver = deployedAt.AddSeconds(6 + 2) - DateTimeOffset.UtcNow;
        await Task.Delay(windowOver > TimeSpan.Zero ? windowOver : TimeSpan.Zero, Cancel);
        await using var second = await RunningServer.StartAsync(database.Database, model: model);
        await VerdictAsync(second, service, "healthy");
        await MeasurementsAsync(second, service, atLeast: 6);
        // One more round of the watcher once all are measured, and the timeline caught up with it: nothing is measured twice.
        await second.Services.GetRequiredService<ReleaseWatcher>().RoundAsync(Cancel);
        await TimelineCatchUp.AwaitAsync(second);
        var detail = await DetailAsync(second, service, Cancel);

        var rule = detail.GetProperty("verdict").GetProperty("rules")[0];
        Assert.Equal("healthy", detail.GetProperty("verdict").GetProperty("state").GetString());
        Assert.Equal("passed", rule.GetProperty("state").GetString());
        Assert.Equal(6, rule.GetProperty("measurements").GetInt32());
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ErrorRateAboveTheRule_FailsTheDeployment_AtThatMeasurement(string provider)
    {
        var prometheus = await fixture.ServerAsync();
        var service = "failing-" + provider;
        await prometheus.SetAsync(Series(service), 0.05);
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await RunningServer.StartAsync(database.Database, model: ModelFor(prometheus.Address, service));
        await PostAsync(server, Deployed(service, "a0", DateTimeOffset.UtcNow.AddHours(-1)), Deployed(service, "a1", DateTimeOffset.UtcNow));

        var detail = await VerdictAsync(server, service, "failed");

        Assert.StartsWith("metric rule 'error-rate': 1 of 1 measurement > 0.02 (failure limit 0)", detail.GetProperty("verdict").GetProperty("reason").GetString(), StringComparison.Ordinal);
        var dora = await server.Client.GetFromJsonAsync<JsonElement>($"/api/metrics/dora?service={service}", Cancel);
        Assert.Equal(1, dora.GetProperty("changeFailureRate").GetProperty("failedDeployments").GetInt32());
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Baseline_ErrorRateTripleThePreviousDeployments_FailsIt_ThoughUnderTheThreshold(string provider)
    {
        var prometheus = await fixture.ServerAsync();
        var service = "baseline-" + provider;
        var calm = await prometheus.SetAsync(Series(service), 0.01);
        await Task.Delay(TimeSpan.FromSeconds(4), Cancel); // the previous deployment's window: 0.01 throughout
        var worse = await prometheus.SetAsync(Series(service), 0.03);
        await using var database = await TestDatabase.CreateAsync(provider);
        var model = ModelFor(prometheus.Address, service, failIf: "> 0.1", extra: "baseline: 1.5", window: "3s");
        await using var server = await RunningServer.StartAsync(database.Database, model: model);
        await PostAsync(server, Deployed(service, "a0", calm.AddMilliseconds(-500)), Deployed(service, "a1", worse));

        var detail = await VerdictAsync(server, service, "failed");

        var reason = detail.GetProperty("verdict").GetProperty("reason").GetString()!;
        Assert.Contains("> 0.1 or above 1.5 × the previous deployment's (failure limit 0); latest 0.03", reason, StringComparison.Ordinal);
        Assert.Contains("(the previous deployment's: 0.01)", reason, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task NoSeriesForTheService_IsInconclusive_AndSaysWhy(string provider)
    {
        var prometheus = await fixture.ServerAsync();
        var service = "silent-" + provider;
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await RunningServer.StartAsync(database.Database, model: ModelFor(prometheus.Address, service));
        await PostAsync(server, Deployed(service, "a0", DateTimeOffset.UtcNow.AddHours(-1)), Deployed(service, "a1", DateTimeOffset.UtcNow));

        var detail = await VerdictAsync(server, service, "inconclusive");

        var reason = detail.GetProperty("verdict").GetProperty("reason").GetString()!;
        Assert.Contains("no data: 0 of 3 samples with a value (min-samples 3)", reason, StringComparison.Ordinal);
        Assert.Contains("no-data: inconclusive", reason, StringComparison.Ordinal);
    }

    private static string Series(string service) => $"error_ratio{{service=\"{service}\",environment=\"production\"}}";

    private static async Task MeasurementsAsync(RunningServer server, string service, int atLeast) =>
        await Eventually.HoldsAsync(
            $"{atLeast} measurements of {service}",
            async token => await DetailAsync(server, service, token) is { ValueKind: JsonValueKind.Object } detail
                ? detail.GetProperty("verdict").GetProperty("rules")[0].GetProperty("measurements").GetInt32()
                : 0,
            count => count >= atLeast);

    private static Task<JsonElement> VerdictAsync(RunningServer server, string service, string state) =>
        Eventually.HoldsAsync(
            $"the verdict of {service} to be {state}",
            token => DetailAsync(server, service, token),
            detail => detail.ValueKind == JsonValueKind.Object && detail.GetProperty("verdict").GetProperty("state").GetString() == state);

    private static async Task<JsonElement> DetailAsync(RunningServer server, string service, CancellationToken token)
    {
        using var response = await server.Client.GetAsync($"/api/deployments/{service}-a1?source=/argocd/production", token);
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>(token) : default;
    }

    private static OperatingModel ModelFor(string prometheus, string service, string failIf = "> 0.02", string extra = "", string window = "6s") =>
        OperatingModelLoader.LoadText($$"""
            version: 1
            organization: Test
            teams: [{id: web}]
            environments: [{id: production, production: true}]
            services: [{id: {{service}}, owner: web, repositories: [acme/{{service}}]}]
            flow:
              - {id: production, owner: web, ends: service.deployed environment=production}
            health:
              verification-window: {{window}}
              signals:
                metrics:
                  prometheus: {{prometheus}}
                  rules:
                    - id: error-rate
                      query: max(error_ratio{service="{service}", environment="{environment}"})
                      interval: 1s
                      fail-if: "{{failIf}}"
                      min-samples: 3
                      {{extra}}
            """, "verification.yaml").Model ?? throw new InvalidOperationException("invalid test model");

    private static async Task PostAsync(RunningServer server, params JsonObject[] events)
    {
        using var response = await server.Client.PostAsync(
            "/api/events", new StringContent(new JsonArray([.. events]).ToJsonString(), Encoding.UTF8, "application/json"), Cancel);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private static JsonObject Deployed(string service, string artifact, DateTimeOffset at) => new()
    {
        ["context"] = new JsonObject
        {
            ["version"] = "0.4.1",
            ["id"] = $"{service}-{artifact}",
            ["source"] = "/argocd/production",
            ["type"] = "dev.cdevents.service.deployed.0.2.0",
            ["timestamp"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        },
        ["subject"] = new JsonObject
        {
            ["id"] = service,
            ["content"] = new JsonObject { ["environment"] = new JsonObject { ["id"] = "production" }, ["artifactId"] = artifact },
        },
    };
}
