using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Throughline.Model;

namespace Throughline.Tests.Support;

/// <summary>The team's hand-worked DORA example (TestData/dora) loaded into a real server.</summary>
public static class WorkedExample
{
    public static OperatingModel Model() => OperatingModelLoader.LoadFile(Some.TestDataPath("dora/dora-worked-example.yaml")).Model!;

    /// <summary>A server with the example's model and its 29 events, once the timeline holds all 6 changes.</summary>
    public static async Task<RunningServer> StartServerAsync(TestDatabase database)
    {
        var cancel = TestContext.Current.CancellationToken;
        var server = await RunningServer.StartAsync(database.Database, model: Model());
        using var response = await server.Client.PostAsync("/api/events",
            new StringContent(File.ReadAllText(Some.TestDataPath("dora/dora-worked-example.jsonl")), Encoding.UTF8, "application/x-ndjson"), cancel);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await TimelineCatchUp.AwaitAsync(server);
        var timeline = await server.Client.GetFromJsonAsync<JsonElement>("/api/timeline", cancel);
        Assert.True(timeline.GetProperty("changes").GetInt32() == 6, $"the worked example should give 6 changes once read: {timeline}");
        return server;
    }
}
