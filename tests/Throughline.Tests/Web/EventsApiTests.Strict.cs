using System.Net;
using System.Text.Json;
using Throughline.Tests.Support;

namespace Throughline.Tests.Web;

/// <summary>What intake refuses so that nothing accepted can poison the store: the same answer on both engines.</summary>
public sealed partial class EventsApiTests
{
    private static string Replace(string json, string from, string to) => json.Replace(from, to, StringComparison.Ordinal);

    public static TheoryData<string, string, string> StrictBodies()
    {
        var valid = Some.CdEvent(id: "fine");
        var cloudEvent = $$"""{"specversion":"1.0","id":"ce-1","source":"/ce","type":"dev.cdevents.service.deployed.0.2.0","data":{{valid}}}""";
        var data = new TheoryData<string, string, string>();
        foreach (var provider in new[] { TestDatabase.Sqlite, TestDatabase.Postgres })
        {
            data.Add(provider, Replace(valid, "production", "prod\\ud800"), "subject.content.environment.id: the string holds a \\u escape of a lone surrogate");
            data.Add(provider, Replace(valid, "\"fine\"", "\"fine\\udc00\""), "context.id: the string holds a \\u escape of a lone surrogate");
            data.Add(provider, Replace(valid, "\"environment\"", "\"env\\ud834ironment\""), "subject.content: a property name holds a \\u escape of a lone surrogate");
            data.Add(provider, Replace(valid, "\"id\":\"fine\"", "\"id\":\"fine\",\"id\":\"other\""), "context.id: the key 'id' appears twice");
            data.Add(provider, Replace(valid, "\"id\":\"fine\"", "\"id\":\"fine\",\"i\\u0064\":\"other\""), "context.id: the key 'id' appears twice");
            data.Add(provider, Replace(valid, "{\"context\":", "{\"subject\":{\"id\":\"x\"},\"context\":"), "subject: the key 'subject' appears twice");
            data.Add(provider, Replace(valid, "\"artifactId\"", "\"environment\""), "subject.content.environment: the key 'environment' appears twice");
            data.Add(provider, $"[{Some.CdEvent()}, {Replace(cloudEvent, "prod", "prod\\udfff")}]", "item 1: data.context.source: the string holds");
            data.Add(provider, $"[{Some.CdEvent()}, {Replace(cloudEvent, "\"id\":\"ce-1\"", "\"id\":\"ce-1\",\"id\":\"ce-2\"")}]", "item 1: id: the key 'id' appears twice");
            data.Add(provider, Replace(valid, "\"fine\"", "\"fi\\u0000ne\""), "context.id: holds the control character U+0000 at position 2");
            data.Add(provider, Some.CdEvent(source: "/argo\ncd"), "context.source: holds the control character U+000A at position 5");
            data.Add(provider, Some.CdEvent(subjectId: "check\u0085out"), "subject.id: holds the control character U+0085 at position 5");
            data.Add(provider, Some.CdEvent(type: "dev.cdevents.service.deployed.0.2.0\t"), "context.type: holds the control character U+0009");
            data.Add(provider, Replace(valid, "\"0.5.0\"", "\"0.5.0\\u0000\""), "context.specversion: holds the control character U+0000");
            data.Add(provider, Some.CdEvent(id: new string('x', 3000)), "context.id: is 3000 bytes long in UTF-8; at most 1024 are accepted");
            data.Add(provider, Some.CdEvent(id: new string('é', 600)), "context.id: is 1200 bytes long in UTF-8; at most 1024 are accepted");
            data.Add(provider, Some.CdEvent(source: "/" + new string('s', 1500)), "context.source: is 1501 bytes long in UTF-8; at most 1024 are accepted");
            data.Add(provider, Some.CdEvent(type: "dev.cdevents.service.deployed." + new string('9', 300)), "context.type: is 330 bytes long in UTF-8; at most 256 are accepted");
            data.Add(provider, Some.CdEvent(subjectId: new string('c', 5000)), "subject.id: is 5000 bytes long in UTF-8; at most 1024 are accepted");
        }

        return data;
    }

    [Theory, MemberData(nameof(StrictBodies))]
    public async Task Post_InputNotEveryEngineAndReaderTakes_400NamesTheFieldAndStoresNothing(string provider, string body, string expected)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await RunningServer.StartAsync(database.Database);
        await PostAsync(server, Json(Some.CdEvent()), HttpStatusCode.Accepted);

        var problem = await PostAsync(server, Json(body), HttpStatusCode.BadRequest);
        var lines = await PostAsync(server, Json(body.Replace("\n", "\\n", StringComparison.Ordinal), "application/x-ndjson"), HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("index").ValueKind == JsonValueKind.Number ? $"item {e.GetProperty("index").GetInt32()}: " : "")
                + (e.GetProperty("field").GetString() is { Length: > 0 } field ? field + ": " : "") + e.GetProperty("reason").GetString())
            .ToList();
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
        Assert.Equal("urn:throughline:problem:invalid-events", lines.GetProperty("type").GetString());
        Assert.Equal(1, await TotalAsync(server));
        using var list = await server.Client.GetAsync("/api/events", Cancel);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Post_BatchWithOneEventNoEngineMayStore_400NamesItsItemOnEitherEngine(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await RunningServer.StartAsync(database.Database);
        var events = Enumerable.Range(0, 499).Select(_ => Some.CdEvent()).ToList();
        var random = new Random(17);
        var incompressible = string.Concat(Enumerable.Range(0, 2800).Select(_ => (char)random.Next('a', 'z' + 1)));

        var nul = await PostAsync(server, Json($"[{string.Join(',', events)},{Some.CdEvent(id: "a\u0000b")}]"), HttpStatusCode.BadRequest);
        var longId = await PostAsync(server, Json($"[{string.Join(',', events)},{Some.CdEvent(id: incompressible)}]"), HttpStatusCode.BadRequest);

        Assert.Equal((499, "context.id"), (nul.GetProperty("errors")[0].GetProperty("index").GetInt32(), nul.GetProperty("errors")[0].GetProperty("field").GetString()));
        Assert.Equal((499, "context.id"), (longId.GetProperty("errors")[0].GetProperty("index").GetInt32(), longId.GetProperty("errors")[0].GetProperty("field").GetString()));
        Assert.Equal(0, await TotalAsync(server));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Post_LongestAcceptedIdAndSource_StoredOnEitherEngine(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await RunningServer.StartAsync(database.Database);
        var random = new Random(17);
        string Incompressible(int length) => string.Concat(Enumerable.Range(0, length).Select(_ => (char)random.Next('a', 'z' + 1)));

        var answer = await PostAsync(server, Json(Some.CdEvent(id: Incompressible(1024), source: "/" + Incompressible(1023), subjectId: Incompressible(1024))), HttpStatusCode.Accepted);

        Assert.Equal(1, answer.GetProperty("accepted").GetInt32());
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Post_HundredThousandBadItems_AnswerListsTheFirstHundredAndCountsAll(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await RunningServer.StartAsync(database.Database);
        var body = "[" + string.Join(',', Enumerable.Repeat("1", 100_000)) + "]";

        using var response = await server.Client.PostAsync("/api/events", Json(body), Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        var problem = JsonDocument.Parse(text).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(text.Length < 20_000, $"the answer to a {body.Length:N0}-byte body is {text.Length:N0} bytes");
        Assert.Equal(100, problem.GetProperty("errors").GetArrayLength());
        Assert.Equal(99, problem.GetProperty("errors")[99].GetProperty("index").GetInt32());
        Assert.Equal(100_000, problem.GetProperty("errorCount").GetInt32());
        Assert.Contains("and 99995 more", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await TotalAsync(server));
    }
}
