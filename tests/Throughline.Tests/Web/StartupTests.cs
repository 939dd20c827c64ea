using System.Net.Http.Json;
using System.Text.Json;
using Throughline.Simulation;
using Throughline.Tests.Support;

namespace Throughline.Tests.Web;

public sealed class StartupTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Serve_StoredHistory_DerivesTheOrganisationMetricsOnceLoadedAndAnswers()
    {
        var options = new SimulationOptions { Seed = 4, Days = 21, ChangesPerDay = 30 };
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        var model = Path.Combine(Path.GetDirectoryName(database.Database)!, "model.yaml");
        await File.WriteAllTextAsync(model, ModelWriter.Write(SimulatedOrganisation.Create(options), options), Cancel);
        await using (var store = await database.OpenStoreAsync())
        {
            await store.AppendAsync(await Simulated.EventsAsync(options, Cancel), DateTimeOffset.UtcNow, Cancel);
        }

        await using var server = await ServerProcess.StartAsync("serve", "--db", database.Database, "--model", model, "--urls", "http://127.0.0.1:0");
        await server.WaitForOutputAsync("Organisation-wide metrics and the board derived from the first snapshot in", TimeSpan.FromSeconds(60));

        var from = options.Start.ToString("yyyy-MM-dd");
        var to = options.Start.AddDays(options.Days).ToString("yyyy-MM-dd");
        var dora = await server.Client.GetFromJsonAsync<JsonElement>($"/api/metrics/dora?from={from}&to={to}", Cancel);
        Assert.True(dora.GetProperty("deploymentFrequency").GetProperty("deployments").GetInt32() > 10, dora.ToString());
    }
}
