using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Throughline.Simulation;
using Throughline.Tests.Support;

namespace Throughline.Tests.Metrics;

public sealed class PrometheusExpositionTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>A server holding 21 simulated days up to today, so the 30-day gauges have values, and its /metrics text.</summary>
    private static async Task<(string Metrics, JsonElement Dora)> ScrapeSimulatedOrganisationAsync()
    {
        var options = new SimulationOptions { Seed = 7, Days = 21, Start = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(-21) };
        var model = Simulated.Model(options);
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using (var store = await database.OpenStoreAsync())
        {
            await store.AppendAsync(await Simulated.EventsAsync(options, Cancel), DateTimeOffset.UtcNow, Cancel);
        }

        await using var server = await RunningServer.StartAsync(database.Database, model: model);
        await TimelineCatchUp.AwaitAsync(server);

        var dora = await server.Client.GetFromJsonAsync<JsonElement>("/api/metrics/dora?service=checkout", Cancel);
        return (await server.Client.GetStringAsync("/metrics", Cancel), dora);
    }

    [Fact]
    public async Task Metrics_PassPromtoolCheckMetrics()
    {
        var (metrics, _) = await ScrapeSimulatedOrganisationAsync();

        var (exitCode, output) = await Promtool.CheckMetricsAsync(metrics);

        Assert.Contains("throughline_lead_time_median_seconds{", metrics, StringComparison.Ordinal);
        Assert.True(exitCode == 0 && output.Length == 0, $"promtool check metrics exited {exitCode}:\n{output}");
    }

    [Fact]
    public async Task Metrics_LeadTimeInSeconds_TheApisHoursTimes3600()
    {
        var (metrics, dora) = await ScrapeSimulatedOrganisationAsync();

        var hours = dora.GetProperty("changeLeadTime").GetProperty("medianHours").GetDouble();
        var line = metrics.Split('\n').Single(l => l.StartsWith("throughline_lead_time_median_seconds{service=\"checkout\"} ", StringComparison.Ordinal));
        var seconds = double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);

        Assert.Equal(hours * 3600, seconds, 6);
        Assert.DoesNotContain("_hours", metrics, StringComparison.Ordinal);
    }
}
