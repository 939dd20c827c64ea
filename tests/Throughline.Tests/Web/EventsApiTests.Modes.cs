using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Throughline.Tests.Support;

namespace Throughline.Tests.Web;

public sealed partial class EventsApiTests
{
    private static string CloudEvent(string cdEvent)
    {
        var context = JsonDocument.Parse(cdEvent).RootElement.GetProperty("context");
        return $$"""
            {"specversion": "1.0", "id": "{{context.GetProperty("id").GetString()}}", "source": "{{context.GetProperty("source").GetString()}}",
             "type": "{{context.GetProperty("type").GetString()}}", "datacontenttype": "application/json", "data": {{cdEvent}}}
            """;
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Post_EveryTransportMode_StoresTheCdEvent(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await RunningServer.StartAsync(database.Database);
        var binary = Json(Some.CdEvent(id: "binary"));
        binary.Headers.Add("ce-specversion", "1.0");
        binary.Headers.Add("ce-id", "binary");
        binary.Headers.Add("ce-source", "/argocd/prod");
        binary.Headers.Add("ce-type", "dev.cdevents.service.deployed.0.2.0");

        var single = await PostAsync(server, Json(Some.CdEvent(id: "single")), HttpStatusCode.Accepted);
        var array = await PostAsync(server, Json($"[{Some.CdEvent(id: "array-1")},{Some.CdEvent(id: "array-2")}]"), HttpStatusCode.Accepted);
        var structured = await PostAsync(server, Json(CloudEvent(Some.CdEvent(id: "structured")), "application/cloudevents+json"), HttpStatusCode.Accepted);
        var batch = await PostAsync(server, Json($"[{CloudEvent(Some.CdEvent(id: "batch-1"))},{CloudEvent(Some.CdEvent(id: "batch-2"))}]", "application/cloudevents-batch+json"), HttpStatusCode.Accepted);
        var binaryAnswer = await PostAsync(server, binary, HttpStatusCode.Accepted);
        var lines = await PostAsync(server, Json($"{Some.CdEvent(id: "line-1")}\n\n{CloudEvent(Some.CdEvent(id: "line-2")).ReplaceLineEndings(" ")}\n", "application/x-ndjson"), HttpStatusCode.Accepted);

        Assert.Equal([1, 2, 1, 2, 1, 2], new[] { single, array, structured, batch, binaryAnswer, lines }.Select(a => a.GetProperty("accepted").GetInt32()));
        var list = await server.Client.GetFromJsonAsync<JsonElement>("/api/events?limit=20", Cancel);
        var items = list.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["line-2", "line-1", "binary", "batch-2", "batch-1", "structured", "array-2", "array-1", "single"], items.Select(i => i.GetProperty("id").GetString()));
        Assert.All(items, i => Assert.Equal("dev.cdevents.service.deployed.0.2.0", i.GetProperty("type").GetString()));
        Assert.Equal("1.0", items[2].GetProperty("envelope").GetProperty("specversion").GetString());
        Assert.Equal("structured", items[5].GetProperty("payload").GetProperty("data").GetProperty("context").GetProperty("id").GetString());
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Post_OlderSpecVersions_AcceptedWithVersionAndSubjectType(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await RunningServer.StartAsync(database.Database);
        // CDEvents 0.3 and 0.4 name the spec version `context.version` and carry `subject.type`.
        const string v03 = """
            {"context": {"version": "0.3.0", "id": "old-1", "source": "/jenkins", "type": "dev.cdevents.pipelinerun.finished.0.1.1",
                         "timestamp": "2023-03-20T14:27:05.315384+01:00"},
             "subject": {"id": "job-1", "type": "pipelineRun", "content": {"pipelineName": "build", "outcome": "success"}}}
            """;

        await PostAsync(server, Json(v03), HttpStatusCode.Accepted);

        var item = (await server.Client.GetFromJsonAsync<JsonElement>("/api/events?limit=1", Cancel)).GetProperty("items")[0];
        Assert.Equal("0.3.0", item.GetProperty("specVersion").GetString());
        Assert.True(item.GetProperty("mapped").GetBoolean());
        Assert.Equal(new DateTimeOffset(2023, 3, 20, 13, 27, 5, TimeSpan.Zero).AddTicks(3153840), item.GetProperty("timestamp").GetDateTimeOffset());
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("text/plain")]
    [InlineData("multipart/form-data")]
    [InlineData(null)]
    public async Task Post_TypeAWebPageCanSendWithoutPreflight_415NothingStored(string? contentType)
    {
        // A web page the user opens can post these types (or none) through their browser without a CORS preflight:
        // read as JSON they would let any site forge deployments with the user's session.
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await RunningServer.StartAsync(database.Database);
        var body = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(Some.CdEvent()));
        if (contentType is not null)
        {
            body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        }

        var refused = await PostAsync(server, body, HttpStatusCode.UnsupportedMediaType);

        Assert.Contains("application/json", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await using var store = await database.OpenStoreAsync();
        Assert.Equal(0, await store.CountAsync(Cancel));
    }

    [Fact]
    public async Task Post_AnyJsonSuffixType_Accepted()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await RunningServer.StartAsync(database.Database);

        var stored = await PostAsync(server, Json(Some.CdEvent(), "application/vnd.cdevents+json"), HttpStatusCode.Accepted);

        Assert.Equal(1, stored.GetProperty("accepted").GetInt32());
    }

    [Theory]
    [InlineData("/hooks/github", "only POST /hooks/{tool} writes those")]
    [InlineData("/throughline/health", "reserved for the events Throughline writes itself")]
    [InlineData("/import/git/acme/shop", "only throughline import writes those")]
    public async Task Post_SourceThroughlineWritesItself_400NamesTheFieldAndWhoWritesIt(string source, string why)
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await RunningServer.StartAsync(database.Database);

        var refused = await PostAsync(server, Json(Some.CdEvent(source: source), "application/json"), HttpStatusCode.BadRequest);

        Assert.Equal("context.source", refused.GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Contains(why, refused.GetProperty("errors")[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
        await using var store = await database.OpenStoreAsync();
        Assert.Equal(0, await store.CountAsync(Cancel));
    }
}
