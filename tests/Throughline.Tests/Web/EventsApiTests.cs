using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Throughline.Storage;
using Throughline.Tests.Support;

namespace Throughline.Tests.Web;

public sealed partial class EventsApiTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static StringContent Json(string body, string mediaType = "application/json") => new(body, Encoding.UTF8, mediaType);

    private static async Task<JsonElement> PostAsync(RunningServer server, HttpContent content, HttpStatusCode expected)
    {
        using var response = await server.Client.PostAsync("/api/events", content, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(expected == response.StatusCode, $"expected {expected}, got {response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<long> TotalAsync(RunningServer server) =>
        (await server.Client.GetFromJsonAsync<JsonElement>("/api/events?limit=1", Cancel)).GetProperty("total").GetInt64();

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Post_EveryConformanceFixture_AcceptedAndKeptVerbatimAcrossRestart(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var fixtures = Some.CdEventFixtures();
        var firstTextByKey = new Dictionary<(string, string), string>();
        await using (var server = await RunningServer.StartAsync(database.Database))
        {
            foreach (var file in fixtures)
            {
                var text = await File.ReadAllTextAsync(file, Cancel);
                var answer = await PostAsync(server, Json(text), HttpStatusCode.Accepted);

                var context = JsonDocument.Parse(text).RootElement.GetProperty("context");
                var key = (context.GetProperty("source").GetString()!, context.GetProperty("id").GetString()!);
                var isNew = firstTextByKey.TryAdd(key, text);
                Assert.Equal(1, answer.GetProperty("received").GetInt32());
                Assert.Equal(isNew ? 1 : 0, answer.GetProperty("accepted").GetInt32());
                Assert.Equal(isNew ? 0 : 1, answer.GetProperty("duplicates").GetInt32());
            }
        }

        await using var restarted = await RunningServer.StartAsync(database.Database);

        Assert.True(fixtures.Count > 30, "the shared CDEvents fixtures were not copied");
        Assert.Equal(firstTextByKey.Count, await TotalAsync(restarted));
        var stored = await restarted.Services.GetRequiredService<IEventStore>().ListNewestAsync(1000, Cancel);
        foreach (var e in stored)
        {
            Assert.Equal(firstTextByKey[(e.Event.Source, e.Event.Id)], e.Event.Payload);
        }

        var newest = stored[0];
        var raw = await restarted.Client.GetByteArrayAsync($"/api/events/{newest.Sequence}/raw", Cancel);
        Assert.Equal(Encoding.UTF8.GetBytes(firstTextByKey[(newest.Event.Source, newest.Event.Id)]), raw);
        using var missing = await restarted.Client.GetAsync("/api/events/999999", Cancel);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        var again = await PostAsync(restarted, Json(File.ReadAllText(fixtures[0])), HttpStatusCode.Accepted);
        Assert.Equal(1, again.GetProperty("duplicates").GetInt32());
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Post_CustomAndUnknownTypes_StoredAsUnmapped(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await RunningServer.StartAsync(database.Database);
        var body = $"[{Some.CdEvent(type: "dev.cdeventsx.mytool-resource.created.0.1.0")}, {Some.CdEvent(type: "dev.cdevents.spaceship.launched.0.1.0")}, {Some.CdEvent()}]";

        var answer = await PostAsync(server, Json(body), HttpStatusCode.Accepted);

        Assert.Equal(3, answer.GetProperty("accepted").GetInt32());
        Assert.Equal(2, answer.GetProperty("unmapped").GetInt32());
        var list = await server.Client.GetFromJsonAsync<JsonElement>("/api/events?limit=10", Cancel);
        Assert.Equal([true, false, false], list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("mapped").GetBoolean()));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Get_Events_NewestFirstWithTotalAndPayload(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await RunningServer.StartAsync(database.Database);
        await PostAsync(server, Json($"[{Some.CdEvent(id: "one")}, {Some.CdEvent(id: "two")}, {Some.CdEvent(id: "three")}]"), HttpStatusCode.Accepted);

        var list = await server.Client.GetFromJsonAsync<JsonElement>("/api/events?limit=2", Cancel);

        Assert.Equal(3, list.GetProperty("total").GetInt64());
        var items = list.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["three", "two"], items.Select(i => i.GetProperty("id").GetString()));
        Assert.Equal("three", items[0].GetProperty("payload").GetProperty("context").GetProperty("id").GetString());
        Assert.Equal("checkout", items[0].GetProperty("subjectId").GetString());
        using var bad = await server.Client.GetAsync("/api/events?limit=zero", Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("limit", await bad.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_And_OpenApi_Answer()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await RunningServer.StartAsync(database.Database);

        var health = await server.Client.GetFromJsonAsync<JsonElement>("/healthz", Cancel);
        var openApi = await server.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Cancel);

        Assert.Equal("ok", health.GetProperty("status").GetString());
        var paths = openApi.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/events", out var events));
        Assert.True(events.TryGetProperty("post", out _));
        Assert.True(events.TryGetProperty("get", out _));
        Assert.True(paths.TryGetProperty("/healthz", out _));
    }
}
