using System.Text;
using System.Text.Json;
using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;
using Throughline.Intake.Otlp;
using Throughline.Storage;
using Throughline.Tests.Support;

namespace Throughline.Tests.Intake.Otlp;

public sealed class CicdSpansTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);

    private static byte[] DeployRun => Encoding.UTF8.GetBytes(Some.TestData("otlp/deploy-run.json"));

    private static SpanTranslation Translate(byte[] body, bool json = true, Throughline.Model.OperatingModel? model = null)
    {
        var export = OtlpTraceRequests.Read(body, json, model, out var error);
        Assert.True(export is not null, error);
        return export.Translation;
    }

    private static JsonElement Payload(EventDraft draft) => JsonDocument.Parse(draft.Payload).RootElement.Clone();

    private static string CustomText(EventDraft draft, string name) =>
        Payload(draft).GetProperty("customData").TryGetProperty(name, out var value) ? value.ToString() : "(none)";

    [Fact]
    public void Json_DeployRun_PipelineTaskRunsAndOneDeployment()
    {
        var translation = Translate(DeployRun);

        Assert.Equal((4, 1, 0), (translation.Spans, translation.Ignored, translation.Rejected.Count));
        Assert.Equal(
            [
                "pipelinerun.started 9753949763 10:00:00", "pipelinerun.finished 9753949763 10:04:30",
                "taskrun.started 26920038674 10:01:00", "taskrun.finished 26920038674 10:03:00",
                "taskrun.started 26920038675 10:03:10", "taskrun.finished 26920038675 10:04:30",
                "service.deployed acme/checkout 10:04:30",
            ],
            translation.Events.Select(e => $"{e.Type.Split('.')[2]}.{e.Type.Split('.')[3]} {e.SubjectId} {e.Timestamp:HH:mm:ss}"));
        Assert.All(translation.Events, e => Assert.Equal(("/otlp/github-actions", "otlp"), (e.Source, e.Origin)));
        Assert.Equal("5b8efff798038103d269b633813fc60c/eee19b7ec3c1b174/started", translation.Events[0].Id);

        var finished = Payload(translation.Events[1]);
        Assert.Equal(("deploy", "success"), (finished.GetProperty("subject").GetProperty("content").GetProperty("pipelineName").GetString(),
            finished.GetProperty("subject").GetProperty("content").GetProperty("outcome").GetString()));
        var deployed = translation.Events[6];
        Assert.Equal("production", Payload(deployed).GetProperty("subject").GetProperty("content").GetProperty("environment").GetProperty("id").GetString());
        Assert.Equal("pkg:generic/acme/checkout@a1b2c3d4e5f60718293a4b5c6d7e8f9012345678",
            Payload(deployed).GetProperty("subject").GetProperty("content").GetProperty("artifactId").GetString());
        Assert.Equal(("acme/checkout", "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678", "main"),
            (CustomText(deployed, "repository"), CustomText(deployed, "commitSha"), CustomText(translation.Events[0], "branch")));
        Assert.Equal("unit tests", Payload(translation.Events[3]).GetProperty("subject").GetProperty("content").GetProperty("taskName").GetString());
    }

    [Fact]
    public void ProtobufAndJson_SameExport_SameEvents()
    {
        var fromJson = Translate(DeployRun);
        var request = OtlpTraceRequests.Parse(DeployRun, json: true, out _)!;

        var fromProtobuf = Translate(request.ToByteArray(), json: false);

        Assert.Equal(fromJson.Events.Select(e => e.Payload), fromProtobuf.Events.Select(e => e.Payload));
    }

    [Fact]
    public void Deployment_ServiceIsTheModelsForTheRepository()
    {
        var model = Throughline.Tests.Timeline.Facts.Model();

        var deployed = Translate(DeployRun, model: model).Events.Single(e => e.Type.Contains(".service.deployed.", StringComparison.Ordinal));

        Assert.Equal("checkout", deployed.SubjectId);
    }

    [Theory]
    [InlineData("failure", null)]
    [InlineData("cancellation", null)]
    [InlineData("success", "production")]
    public void Deployment_OnlyASuccessfulDeployTask(string result, string? expected)
    {
        var request = Request(Span("deploy", ("cicd.pipeline.task.name", "deploy"), ("cicd.pipeline.task.type", "deploy"),
            ("cicd.pipeline.task.run.result", result), ("deployment.environment.name", "production")));

        var events = CicdSpans.Translate(request, null).Events;

        Assert.Equal(expected, events.Where(e => e.Type.Contains(".service.deployed.", StringComparison.Ordinal))
            .Select(e => Payload(e).GetProperty("customData").GetProperty("environment").GetString()).SingleOrDefault());
    }

    [Theory]
    [InlineData("github", "https://github.com/acme/checkout.git", "acme/checkout#42")]
    [InlineData("gitlab", "https://gitlab.example.com/group/sub/project", "group/sub/project!42")]
    [InlineData(null, "https://gitlab.com/group/project", "group/project!42")]
    [InlineData(null, "https://git.example.com/acme/checkout", "acme/checkout#42")]
    public void Change_FromVcsChangeIdInItsRepository(string? provider, string url, string expected)
    {
        var attributes = new List<(string, string?)> { ("cicd.pipeline.name", "ci"), ("vcs.change.id", "42"), ("vcs.repository.url.full", url), ("vcs.provider.name", provider) };

        var events = CicdSpans.Translate(Request(Span("ci", [.. attributes])), null).Events;

        Assert.All(events, e => Assert.Equal(expected, CustomText(e, "changeId")));
    }

    [Fact]
    public void Change_OwnerAndNameAttributes_WhenNoUrl()
    {
        var events = CicdSpans.Translate(Request(Span("ci", ("cicd.pipeline.name", "ci"), ("vcs.change.id", "7"), ("vcs.owner.name", "acme"), ("vcs.repository.name", "shop"))), null).Events;

        Assert.Equal("acme/shop#7", CustomText(events[0], "changeId"));
    }

    [Fact]
    public void Outcome_FromTheStatus_WhenNoResultIsGiven()
    {
        var failed = Span("ci", ("cicd.pipeline.name", "ci"));
        failed.Status = new Status { Code = Status.Types.StatusCode.Error };

        var events = CicdSpans.Translate(Request(failed), null).Events;

        Assert.Equal("failure", Payload(events[1]).GetProperty("subject").GetProperty("content").GetProperty("outcome").GetString());
    }

    [Fact]
    public void Rejected_ASpanWithoutEndTime_NamedWithItsReason_OthersKept()
    {
        var open = Span("ci", ("cicd.pipeline.name", "ci"));
        open.EndTimeUnixNano = 0;
        var longId = Span("ci", ("cicd.pipeline.name", "ci"), ("cicd.pipeline.run.id", new string('x', 5000)));

        var translation = CicdSpans.Translate(Request(open, longId, Span("ci", ("cicd.pipeline.name", "ci"))), null);

        Assert.Equal(2, translation.Events.Count);
        Assert.Equal(2, translation.Rejected.Count);
        Assert.Contains("no start or end time", translation.Rejected[0], StringComparison.Ordinal);
        Assert.Contains("subject.id", translation.Rejected[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Answer_RejectedSpansCountedWithReasons_IgnoredSpansAWarning()
    {
        var open = Span("ci", ("cicd.pipeline.name", "ci"));
        open.EndTimeUnixNano = 0;

        var rejected = ExportTraceServiceResponse.Parser.ParseFrom(OtlpTraceRequests.Answer(CicdSpans.Translate(Request(open), null), json: false));
        var warned = JsonDocument.Parse(OtlpTraceRequests.Answer(Translate(DeployRun), json: true)).RootElement;
        var clean = OtlpTraceRequests.Answer(CicdSpans.Translate(Request(Span("ci", ("cicd.pipeline.name", "ci"))), null), json: false);

        Assert.Equal(1, rejected.PartialSuccess.RejectedSpans);
        Assert.Contains("no start or end time", rejected.PartialSuccess.ErrorMessage, StringComparison.Ordinal);
        Assert.False(warned.GetProperty("partialSuccess").TryGetProperty("rejectedSpans", out _));
        Assert.StartsWith("1 of 4 spans carry no cicd.pipeline.* attributes", warned.GetProperty("partialSuccess").GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.Empty(clean);
    }

    [Theory]
    [InlineData("{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"traceId\": \"not-hex\"}]}]}]}", "resourceSpans[0].scopeSpans[0].spans[0].traceId: 'not-hex' is not hexadecimal")]
    [InlineData("[1, 2]", "not a JSON object")]
    [InlineData("{\"resourceSpans\": ", "not JSON")]
    [InlineData("{\"resourceSpans\": 5}", "not an OTLP trace export in JSON")]
    public void Json_NotAnExport_RefusedWithTheReason(string body, string expected)
    {
        Assert.Null(OtlpTraceRequests.Read(Encoding.UTF8.GetBytes(body), json: true, null, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Protobuf_NotAnExport_Refused()
    {
        Assert.Null(OtlpTraceRequests.Read(Encoding.UTF8.GetBytes("{\"resourceSpans\": []}"), json: false, null, out var error));
        Assert.Contains("not an OTLP trace export in binary protobuf", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Source_AfterTheServiceName_EscapedAndDefaulted()
    {
        var named = Request(Span("ci", ("cicd.pipeline.name", "ci")));
        named.ResourceSpans[0].Resource = new Resource { Attributes = { Attribute("service.name", "GitHub Actions") } };
        var unnamed = Request(Span("ci", ("cicd.pipeline.name", "ci")));

        Assert.Equal(["/otlp/GitHub%20Actions"], CicdSpans.SourcesOf(named));
        Assert.Equal(["/otlp/unknown_service"], CicdSpans.SourcesOf(unnamed));
    }

    private static ExportTraceServiceRequest Request(params Span[] spans) => new()
    {
        ResourceSpans = { new ResourceSpans { Resource = new Resource(), ScopeSpans = { new ScopeSpans { Spans = { spans } } } } },
    };

    private static int _spans;

    private static Span Span(string name, params (string Key, string? Value)[] attributes)
    {
        var n = Interlocked.Increment(ref _spans);
        var span = new Span
        {
            TraceId = ByteString.CopyFrom(Convert.FromHexString($"{n:x32}")),
            SpanId = ByteString.CopyFrom(Convert.FromHexString($"{n:x16}")),
            Name = name,
            StartTimeUnixNano = (ulong)(Start - DateTimeOffset.UnixEpoch).Ticks * 100,
            EndTimeUnixNano = (ulong)(Start.AddMinutes(5) - DateTimeOffset.UnixEpoch).Ticks * 100,
        };
        span.Attributes.AddRange(attributes.Where(a => a.Value is not null).Select(a => Attribute(a.Key, a.Value!)));
        return span;
    }

    private static KeyValue Attribute(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };
}
