using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Throughline.Intake;
using Throughline.Storage;
using Throughline.Tests.Support;
using Throughline.Timeline;
using Throughline.Web.Projection;

namespace Throughline.Tests.Web;

/// <summary>While the timeline loads after a start, nothing derived from it answers a partial number as if whole (docs/reliability.md, "Loading").</summary>
public sealed class LoadingTests
{
    private const int Deployments = 12;
    private const int OtherEvents = 10_500;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Serve_TimelineStillLoading_EveryDerivedEndpointAnswers503UntilLoadedThenTheWholeNumbers(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var store = await database.OpenStoreAsync();
        await store.AppendAsync(History(), DateTimeOffset.UtcNow, Cancel);
        // The first page of the store is read, then loading waits until released: a restart on a large store, held still.
        var gated = new GatedEventStore(store, holdReadsAfter: StoreTail.PageSize);
        await using var server = await RunningServer.StartAsync(
            database.Database, builder => builder.Services.AddSingleton<IEventStore>(gated), awaitTimeline: false);
        await gated.Held.WaitAsync(TimeSpan.FromSeconds(60), Cancel);

        var derived = DerivedPaths(server);
        Assert.Contains("/api/metrics/dora", derived.Keys);
        Assert.Contains("/metrics", derived.Keys);
        Assert.Contains("/", derived.Keys);
        var wrong = new List<string>();
        foreach (var (path, (method, whileLoading)) in derived)
        {
            using var response = await SendAsync(server, method, path);
            // A stream (the board's events) answered 200 would never end: its headers say enough.
            var body = response.Content.Headers.ContentType?.MediaType == "text/event-stream" ? "" : await response.Content.ReadAsStringAsync(Cancel);
            var progress = whileLoading == WhileLoading.Page
                ? body.Contains($"{StoreTail.PageSize:N0} of {Deployments + OtherEvents:N0} events read", StringComparison.Ordinal)
                : response.Content.Headers.ContentType?.MediaType == "application/problem+json"
                    && JsonDocument.Parse(body).RootElement is var problem
                    && problem.GetProperty("type").GetString() == "urn:throughline:problem:timeline-loading"
                    && problem.GetProperty("eventsRead").GetInt64() == StoreTail.PageSize
                    && problem.GetProperty("eventsStored").GetInt64() == Deployments + OtherEvents;
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || response.Headers.RetryAfter?.Delta != TimeSpan.FromSeconds(5) || !progress)
            {
                wrong.Add($"{path}: {(int)response.StatusCode} Retry-After {response.Headers.RetryAfter} {body[..Math.Min(body.Length, 300)]}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        using (var health = await server.Client.GetAsync("/healthz", Cancel))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.Equal("loading", (await health.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("status").GetString());
        }

        Assert.Equal(HttpStatusCode.OK, (await server.ClientWith(null).GetAsync("/healthz/live", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/api/events?limit=1", Cancel)).StatusCode); // stored, not derived

        gated.Release();
        await Eventually.HoldsAsync("/healthz to say ready", async c => (await server.Client.GetAsync("/healthz", c)).StatusCode, s => s == HttpStatusCode.OK);

        var dora = await server.Client.GetFromJsonAsync<JsonElement>("/api/metrics/dora?service=checkout", Cancel);
        Assert.Equal(Deployments, dora.GetProperty("deploymentFrequency").GetProperty("deployments").GetInt32());
        var prometheus = await server.Client.GetStringAsync("/metrics", Cancel);
        Assert.Contains($"throughline_deployments{{service=\"checkout\"}} {Deployments}\n", prometheus, StringComparison.Ordinal);
        foreach (var (path, (method, _)) in derived.Where(d => d.Key != "/api/board/events"))
        {
            using var response = await SendAsync(server, method, path);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{path}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Serve_EveryEndpointThatReadsTheTimeline_IsMarkedDerived()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await RunningServer.StartAsync(database.Database);

        var unmarked = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<MethodInfo>()?.GetParameters().Any(p => p.ParameterType == typeof(TimelineProjection)) == true)
            .Where(e => e.Metadata.GetMetadata<DerivedFromTimelineMetadata>() is null)
            .Select(e => e.RoutePattern.RawText)
            .ToList();

        Assert.Empty(unmarked);
    }

    /// <summary>Asks <paramref name="path"/> with <paramref name="method"/>; a POST carries an empty JSON object.</summary>
    private static async Task<HttpResponseMessage> SendAsync(RunningServer server, string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = JsonContent.Create(new { });
        }

        return await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Cancel);
    }

    /// <summary>Every endpoint marked as derived from the timeline: its path (parameters filled in), its first method, and what it answers while loading.</summary>
    private static Dictionary<string, (string Method, WhileLoading Answer)> DerivedPaths(RunningServer server) =>
        server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<DerivedFromTimelineMetadata>() is not null)
            .ToDictionary(
                e => "/" + string.Join('/', e.RoutePattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
                {
                    RoutePatternLiteralPart literal => literal.Content,
                    RoutePatternParameterPart => "some-id",
                    _ => "",
                })))),
                e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.FirstOrDefault() ?? "GET", e.Metadata.GetMetadata<DerivedFromTimelineMetadata>()!.Answer));

    /// <summary>Production deployments of checkout in the last days, among many events the timeline reads but does not interpret.</summary>
    private static IReadOnlyList<EventDraft> History()
    {
        var now = DateTimeOffset.UtcNow;
        var events = Enumerable.Range(0, Deployments)
            .Select(i => Some.CdEvent(id: $"deploy-{i}", timestamp: now.AddDays(-1).AddHours(-i).ToString("O")))
            .Concat(Enumerable.Range(0, OtherEvents).Select(i => Some.CdEvent(
                id: $"other-{i}", type: "dev.cdeventsx.test.noise.0.1.0", source: "/noise", timestamp: now.AddDays(-2).ToString("O"))));
        var batch = EventBatchReader.Read(Encoding.UTF8.GetBytes("[" + string.Join(',', events) + "]"), "application/json", new Dictionary<string, string>(), "test");
        Assert.Empty(batch.Errors);
        return batch.Events;
    }
}
