using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Throughline.Tests.Support;

namespace Throughline.Tests.Web;

public sealed partial class EventsApiTests
{
    public static TheoryData<string, string, string> MalformedBodies()
    {
        var valid = Some.CdEvent(id: "fine");
        var data = new TheoryData<string, string, string>();
        foreach (var provider in new[] { TestDatabase.Sqlite, TestDatabase.Postgres })
        {
            data.Add(provider, valid[..(valid.Length / 2)], "not valid JSON");
            data.Add(provider, valid.Replace("\"id\":\"fine\"", "\"id\":42", StringComparison.Ordinal), "context.id: expected a string, found the number 42");
            data.Add(provider, valid.Replace("\"id\":\"fine\",", "", StringComparison.Ordinal), "context.id: missing");
            data.Add(provider, Some.CdEvent(timestamp: "yesterday at noon"), "context.timestamp: 'yesterday at noon' is not an RFC 3339 timestamp");
            data.Add(provider, Some.CdEvent(timestamp: "2026-03-20T14:27:05"), "is not an RFC 3339 timestamp");
            data.Add(provider, Some.CdEvent(type: "com.example.deployed"), "is not a CDEvents type");
            data.Add(provider, new string('[', 10_000) + new string(']', 10_000), "maximum configured depth");
            data.Add(provider, $"[{Some.CdEvent()}, {valid.Replace("\"source\":\"/argocd/prod\"", "\"source\":[]", StringComparison.Ordinal)}]", "item 1: context.source: expected a string");
            data.Add(provider, "[]", "no events");
            data.Add(provider, "", "the body is empty");
        }

        return data;
    }

    [Theory, MemberData(nameof(MalformedBodies))]
    public async Task Post_MalformedBody_400NamesTheProblemAndStoresNothing(string provider, string body, string expected)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await RunningServer.StartAsync(database.Database);
        await PostAsync(server, Json(Some.CdEvent()), HttpStatusCode.Accepted);

        var problem = await PostAsync(server, Json(body), HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("index").ValueKind == JsonValueKind.Number ? $"item {e.GetProperty("index").GetInt32()}: " : "")
                + (e.GetProperty("field").GetString() is { Length: > 0 } field ? field + ": " : "") + e.GetProperty("reason").GetString())
            .ToList();
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
        Assert.Contains("nothing was stored", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, await TotalAsync(server));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Post_JsonLinesWithOneBadLine_400NamesTheLineAndStoresNothing(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await RunningServer.StartAsync(database.Database);
        var body = $"{Some.CdEvent()}\n{{\"context\": \n{Some.CdEvent()}\n";

        var problem = await PostAsync(server, Json(body, "application/x-ndjson"), HttpStatusCode.BadRequest);
        var concatenated = await PostAsync(server, Json(Some.CdEvent() + "\n" + Some.CdEvent()), HttpStatusCode.BadRequest);

        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal(1, error.GetProperty("index").GetInt32());
        Assert.StartsWith("the line is not valid JSON", error.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("application/x-ndjson", concatenated.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await TotalAsync(server));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Post_InvalidUtf8_400AndStoresNothing(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await RunningServer.StartAsync(database.Database);
        var bytes = Encoding.UTF8.GetBytes(Some.CdEvent(subjectId: "caf__"));
        var at = Array.IndexOf(bytes, (byte)'_');
        bytes[at] = 0xC3;
        bytes[at + 1] = 0x28; // 0xC3 must be followed by a continuation byte; 0x28 is not one.
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var problem = await PostAsync(server, content, HttpStatusCode.BadRequest);

        Assert.Contains($"not valid UTF-8 (first invalid byte at offset {at})", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await TotalAsync(server));
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Post_BodyOverLimit_413AndStoresNothing(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await RunningServer.StartAsync(database.Database, builder =>
            builder.Configuration["Intake:MaxBodyBytes"] = "4096");
        var events = string.Join(',', Enumerable.Range(0, 40).Select(_ => Some.CdEvent()));

        var problem = await PostAsync(server, Json($"[{events}]"), HttpStatusCode.RequestEntityTooLarge);
        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes($"[{events}]")));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        using var chunkedResponse = await server.Client.SendAsync(request, Cancel);

        Assert.Contains("4096 bytes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunkedResponse.StatusCode);
        Assert.Equal(0, await TotalAsync(server));
    }
}
