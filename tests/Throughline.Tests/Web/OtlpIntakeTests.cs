using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Throughline.Access;
using Throughline.Storage;
using Throughline.Tests.Support;
using Throughline.Tests.Timeline;

namespace Throughline.Tests.Web;

/// <summary>POST /v1/traces with the official OpenTelemetry .NET SDK's OTLP exporter as the client, and by hand for OTLP/JSON.</summary>
public sealed class OtlpIntakeTests
{
    private const string MergeSha = "9f1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c";
    private const string HeadSha = "1111111111111111111111111111111111111111";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>A change opened and merged (CDEvents), then built on its branch and deployed from main to production (spans).</summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task SdkExporter_PipelineAndDeploySpans_JoinTheChangeAndDeliverIt(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await RunningServer.StartAsync(database.Database, model: Facts.Model());
        var opened = DateTimeOffset.UtcNow.AddDays(-2).AddTicks(-(DateTimeOffset.UtcNow.Ticks % TimeSpan.TicksPerSecond));
        await ChangesApiTests.PostAsync(server.Client, string.Join('\n',
            Some.CdEvent(id: "bootstrap", subjectId: "checkout", timestamp: $"{opened.AddDays(-10):O}"),
            Change("created", opened, "{}"),
            Change("merged", opened.AddHours(3), $$"""{"mergeCommitSha": "{{MergeSha}}"}""")));
        var token = await server.CreateTokenAsync(Role.Ingest, ["/otlp/github-actions"]);

        using (var ci = new ActivitySource("Throughline.Tests.Ci"))
        using (var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(ci.Name)
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("github-actions")
                .AddAttributes([new("vcs.repository.url.full", "https://github.com/acme/checkout"), new("vcs.provider.name", "github")]))
            .AddOtlpExporter(options =>
            {
                options.Endpoint = new Uri(server.Address, "/v1/traces");
                options.Protocol = OtlpExportProtocol.HttpProtobuf;
                options.Headers = $"Authorization=Bearer {token}";
                options.ExportProcessorType = ExportProcessorType.Simple;
            })
            .Build())
        {
            Run(ci, "ci", "run-1", opened.AddHours(1), opened.AddHours(1.5), [new("vcs.change.id", "42"), new("vcs.ref.head.revision", HeadSha), new("vcs.ref.head.name", "faster-checkout")],
                task: ("unit tests", "test", null));
            Run(ci, "deploy", "run-2", opened.AddHours(4), opened.AddHours(5), [new("vcs.ref.head.revision", MergeSha), new("vcs.ref.head.name", "main")],
                task: ("deploy to production", "deploy", "production"));
            Assert.True(tracing.ForceFlush(10_000));
        }

        var change = await ChangesApiTests.ChangeAsync(server, "acme/checkout#42");

        Assert.True(change.GetProperty("state").GetString() == "delivered", change.ToString());
        Assert.Equal(5.0, change.GetProperty("leadTimeHours").GetDouble(), 3);
        var production = Assert.Single(change.GetProperty("deployments").GetProperty("production").EnumerateArray());
        Assert.Equal("/otlp/github-actions", production.GetProperty("deploymentSource").GetString());
        var spans = change.GetProperty("events").EnumerateArray().Where(e => e.GetProperty("source").GetString() == "/otlp/github-actions")
            .Select(e => e.GetProperty("type").GetString()).Order().ToList();
        Assert.Equal(
            ["pipelinerun.finished", "pipelinerun.finished", "pipelinerun.started", "pipelinerun.started", "service.deployed",
             "taskrun.finished", "taskrun.finished", "taskrun.started", "taskrun.started"],
            spans);
        var dora = await server.Client.GetFromJsonAsync<JsonElement>("/api/metrics/dora?service=checkout", Cancel);
        Assert.Equal(2, dora.GetProperty("deploymentFrequency").GetProperty("deployments").GetInt32()); // the first one, and the deploy task
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Json_SentTwiceAndGzipped_StoredOnce(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var server = await RunningServer.StartAsync(database.Database);
        var body = Encoding.UTF8.GetBytes(Some.TestData("otlp/deploy-run.json"));

        using var first = await PostAsync(server.Client, body, "application/json");
        using var again = await PostAsync(server.Client, Gzip(body), "application/json", gzip: true);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("application/json", first.Content.Headers.ContentType?.MediaType);
        var answer = await first.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.StartsWith("1 of 4 spans carry no cicd.pipeline.*", answer.GetProperty("partialSuccess").GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        var stored = await server.Services.GetRequiredService<IEventStore>().ListNewestAsync(100, Cancel);
        Assert.Equal(7, stored.Count);
        Assert.All(stored, e => Assert.Equal(("/otlp/github-actions", "otlp"), (e.Event.Source, e.Event.Origin)));
    }

    [Fact]
    public async Task Refusals_NameTheProblemAndStoreNothing()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using var server = await RunningServer.StartAsync(database.Database);
        var body = Encoding.UTF8.GetBytes(Some.TestData("otlp/deploy-run.json"));
        var jenkinsOnly = server.ClientWith(await server.CreateTokenAsync(Role.Ingest, ["/otlp/jenkins"]));

        using var forbidden = await PostAsync(jenkinsOnly, body, "application/json");
        using var anonymous = await PostAsync(server.ClientWith(null), body, "application/json");
        using var text = await PostAsync(server.Client, body, "text/plain");
        using var notTraces = await PostAsync(server.Client, body, "application/x-protobuf");
        using var notGzip = await PostAsync(server.Client, body, "application/json", gzip: true);
        using var forged = await server.Client.PostAsync("/api/events",
            new StringContent(Some.CdEvent(source: "/otlp/github-actions"), Encoding.UTF8, "application/json"), Cancel);

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        Assert.Contains("application/x-protobuf", await text.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, notTraces.StatusCode);
        Assert.Contains("not an OTLP trace export in binary protobuf", await notTraces.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, notGzip.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("only POST /v1/traces writes those", await forged.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(0, await server.Services.GetRequiredService<IEventStore>().CountAsync(Cancel));
    }

    private static string Change(string predicate, DateTimeOffset at, string custom) =>
        $"{{\"context\": {{\"specversion\": \"0.5.0\", \"id\": \"pr-42-{predicate}\", \"source\": \"/test\", " +
        $"\"type\": \"dev.cdevents.change.{predicate}.0.3.0\", \"timestamp\": \"{at:O}\"}}, " +
        "\"subject\": {\"id\": \"acme/checkout#42\", \"content\": {\"repository\": {\"id\": \"acme/checkout\"}}}, " +
        $"\"customData\": {custom}}}";

    /// <summary>A pipeline run span with one task span inside it, ending with the run.</summary>
    private static void Run(
        ActivitySource ci, string pipeline, string runId, DateTimeOffset start, DateTimeOffset end, KeyValuePair<string, object?>[] vcs,
        (string Name, string Type, string? Environment) task)
    {
        var runTags = new List<KeyValuePair<string, object?>>
        {
            new("cicd.pipeline.name", pipeline), new("cicd.pipeline.run.id", runId), new("cicd.pipeline.result", "success"),
        };
        runTags.AddRange(vcs);
        using var run = ci.StartActivity(ActivityKind.Server, default(ActivityContext), runTags, startTime: start, name: $"RUN {pipeline}")!;
        var taskTags = new List<KeyValuePair<string, object?>>
        {
            new("cicd.pipeline.run.id", runId), new("cicd.pipeline.task.name", task.Name), new("cicd.pipeline.task.run.id", runId + "-" + task.Type),
            new("cicd.pipeline.task.type", task.Type), new("cicd.pipeline.task.run.result", "success"),
        };
        taskTags.AddRange(vcs);
        if (task.Environment is { } environment)
        {
            taskTags.Add(new("deployment.environment.name", environment));
        }

        using (var step = ci.StartActivity(ActivityKind.Internal, parentContext: run.Context, tags: taskTags, startTime: start + (end - start) / 2, name: task.Name)!)
        {
            step.SetEndTime(end.UtcDateTime);
        }

        run.SetEndTime(end.UtcDateTime);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, byte[] body, string mediaType, bool gzip = false)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        if (gzip)
        {
            content.Headers.ContentEncoding.Add("gzip");
        }

        return await client.PostAsync("/v1/traces", content, Cancel);
    }

    private static byte[] Gzip(byte[] body)
    {
        using var output = new MemoryStream();
        using (var zip = new GZipStream(output, CompressionLevel.Fastest))
        {
            zip.Write(body);
        }

        return output.ToArray();
    }
}
