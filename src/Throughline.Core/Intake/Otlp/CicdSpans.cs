using System.Globalization;
using System.Text.Json.Nodes;
using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Trace.V1;
using Throughline.Intake.Hooks;
using Throughline.Model;
using Throughline.Storage;

namespace Throughline.Intake.Otlp;

/// <summary>What an OTLP trace export became: the CDEvents to store, and the spans left out and why.</summary>
/// <param name="Events">The CDEvents its CI/CD spans translate into.</param>
/// <param name="Spans">How many spans the export held.</param>
/// <param name="Ignored">Spans with neither <c>cicd.pipeline.*</c> nor <c>cicd.pipeline.task.*</c> attributes: not CI/CD, not stored.</param>
/// <param name="Rejected">CI/CD spans that could not be stored, each with its reason (no end time, a field beyond a limit).</param>
public sealed record SpanTranslation(IReadOnlyList<EventDraft> Events, int Spans, int Ignored, IReadOnlyList<string> Rejected);

/// <summary>
/// OpenTelemetry CI/CD spans as CDEvents, following the semantic conventions' <c>cicd.*</c>, <c>vcs.*</c> and
/// <c>deployment.*</c> attributes (a span's own attributes over its resource's).
/// </summary>
/// <remarks>
/// <para>A span with <c>cicd.pipeline.task.name</c> or <c>cicd.pipeline.task.run.id</c> is a task run: <c>taskrun.started</c> at its
/// start and <c>taskrun.finished</c> at its end, with the outcome from <c>cicd.pipeline.task.run.result</c>. A task of type
/// <c>deploy</c> that succeeded and names <c>deployment.environment.name</c> is also a <c>service.deployed</c> at its end: the service is
/// the model's for the repository (else the repository, else the resource's <c>service.name</c>). Any other span with
/// <c>cicd.pipeline.name</c> or <c>cicd.pipeline.run.id</c> is a pipeline run (<c>pipelinerun.started</c> and <c>.finished</c>,
/// outcome from <c>cicd.pipeline.result</c>). Other spans are ignored.</para>
/// <para><c>vcs.ref.head.revision</c> is the commit built (<c>commitSha</c>), <c>vcs.change.id</c> the change
/// (<c>OWNER/NAME#N</c>, <c>OWNER/NAME!N</c> for GitLab), the repository read from <c>vcs.repository.url.full</c> (else
/// <c>vcs.owner.name</c>/<c>vcs.repository.name</c>). Events come from source <c>/otlp/SERVICE</c> (the resource's
/// <c>service.name</c>) with ids <c>TRACE/SPAN/STEP</c>, so a span sent twice (an exporter's retry) is stored once.</para>
/// </remarks>
internal static class CicdSpans
{
    /// <summary>The origin recorded on the events.</summary>
    public const string Origin = "otlp";

    /// <summary>The service name OpenTelemetry SDKs report when none is configured.</summary>
    public const string UnknownService = "unknown_service";

    /// <summary>The <c>context.source</c> of the spans of the resource named <paramref name="serviceName"/>.</summary>
    public static string SourceOf(string serviceName) => $"{ReservedSources.Otlp}/{Uri.EscapeDataString(serviceName)}";

    /// <summary>The sources the events of <paramref name="request"/> will claim, one per resource: what an ingest token must allow.</summary>
    public static IReadOnlyList<string> SourcesOf(ExportTraceServiceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return [.. request.ResourceSpans.Select(r => SourceOf(ServiceName(Attributes.Of(r.Resource?.Attributes)))).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The CDEvents of <paramref name="request"/>'s CI/CD spans.</summary>
    /// <param name="request">The export.</param>
    /// <param name="model">The model in force, which names a deployment's service after its repository; null without one.</param>
    public static SpanTranslation Translate(ExportTraceServiceRequest request, OperatingModel? model)
    {
        ArgumentNullException.ThrowIfNull(request);
        var events = new List<EventDraft>();
        var rejected = new List<string>();
        int spans = 0, ignored = 0;
        foreach (var resourceSpans in request.ResourceSpans)
        {
            var resource = Attributes.Of(resourceSpans.Resource?.Attributes);
            var source = SourceOf(ServiceName(resource));
            foreach (var span in resourceSpans.ScopeSpans.SelectMany(s => s.Spans))
            {
                spans++;
                var attributes = resource.With(span.Attributes);
                var kind = KindOf(attributes);
                if (kind is null)
                {
                    ignored++;
                    continue;
                }

                var written = new List<EventDraft>();
                if (Write(new SpanReading(span, attributes, source, model), kind.Value, written) is { } reason)
                {
                    rejected.Add($"span {Hex(span.SpanId)} '{JsonText.Quote(span.Name)}' of trace {Hex(span.TraceId)}: {reason}");
                    continue;
                }

                events.AddRange(written);
            }
        }

        return new SpanTranslation(events, spans, ignored, rejected);
    }

    private enum SpanKind
    {
        Pipeline,
        Task,
    }

    private static SpanKind? KindOf(Attributes attributes) =>
        attributes["cicd.pipeline.task.name"] is not null || attributes["cicd.pipeline.task.run.id"] is not null ? SpanKind.Task
        : attributes["cicd.pipeline.name"] is not null || attributes["cicd.pipeline.run.id"] is not null ? SpanKind.Pipeline
        : null;

    private static string ServiceName(Attributes resource) => resource["service.name"] is { Length: > 0 } name ? name : UnknownService;

    /// <summary>One span with everything read from it once.</summary>
    private sealed record SpanReading(Span Span, Attributes Attributes, string Source, OperatingModel? Model)
    {
        public string Trace { get; } = Hex(Span.TraceId);

        public string Id { get; } = Hex(Span.SpanId);

        public string? Repository { get; } = RepositoryOf(Attributes);
    }

    /// <summary>Writes the span's events into <paramref name="written"/>; the reason it cannot, else null.</summary>
    private static string? Write(SpanReading span, SpanKind kind, List<EventDraft> written)
    {
        if (span.Trace.Length == 0 || span.Id.Length == 0)
        {
            return "it has no trace id or span id";
        }

        if (!Timestamps.TryFromUnixNanoseconds(span.Span.StartTimeUnixNano, out var started) || !Timestamps.TryFromUnixNanoseconds(span.Span.EndTimeUnixNano, out var finished))
        {
            return "it has no start or end time (startTimeUnixNano and endTimeUnixNano must be set)";
        }

        var a = span.Attributes;
        var outcome = Outcome(a[kind == SpanKind.Task ? "cicd.pipeline.task.run.result" : "cicd.pipeline.result"], span.Span.Status);
        var custom = Custom(span, started, finished, outcome);
        var drafts = new List<JsonObject>();
        if (kind == SpanKind.Pipeline)
        {
            var runId = a["cicd.pipeline.run.id"] ?? span.Id;
            var name = a["cicd.pipeline.name"];
            var url = a["cicd.pipeline.run.url.full"];
            drafts.Add(Compose(span, "started", "pipelinerun.started", started, runId,
                new JsonObject { ["pipelineName"] = name, ["url"] = url }, custom));
            drafts.Add(Compose(span, "finished", "pipelinerun.finished", finished, runId,
                new JsonObject { ["pipelineName"] = name, ["url"] = url, ["outcome"] = outcome, ["errors"] = a["error.type"] }, custom));
        }
        else
        {
            var runId = a["cicd.pipeline.task.run.id"] ?? span.Id;
            var name = a["cicd.pipeline.task.name"];
            var url = a["cicd.pipeline.task.run.url.full"];
            var pipelineRun = Values.Reference(a["cicd.pipeline.run.id"], span.Source);
            drafts.Add(Compose(span, "started", "taskrun.started", started, runId,
                new JsonObject { ["taskName"] = name, ["url"] = url, ["pipelineRun"] = pipelineRun }, custom));
            drafts.Add(Compose(span, "finished", "taskrun.finished", finished, runId,
                new JsonObject { ["taskName"] = name, ["url"] = url, ["pipelineRun"] = pipelineRun?.DeepClone(), ["outcome"] = outcome, ["errors"] = a["error.type"] }, custom));
            if (a["cicd.pipeline.task.type"] == "deploy" && outcome == "success" && a["deployment.environment.name"] is { } environment)
            {
                var service = span.Repository is { } repository ? OperatingModel.ServiceOfRepository(span.Model, repository) : ServiceName(a);
                var artifact = span.Repository is not null && a["vcs.ref.head.revision"] is { } revision
                    ? $"pkg:generic/{span.Repository}@{revision}"
                    : null;
                drafts.Add(Compose(span, "deployed", "service.deployed", finished, service,
                    new JsonObject { ["environment"] = Values.Reference(environment), ["artifactId"] = artifact },
                    Custom(span, started, finished, outcome, environment, service)));
            }
        }

        foreach (var draft in drafts)
        {
            var errors = new List<IntakeError>();
            if (WrittenEvents.Read(draft, Origin, errors) is not { } read)
            {
                return $"its {draft["context"]!["type"]} event cannot be stored: {string.Join("; ", errors.Take(3))}";
            }

            written.Add(read);
        }

        return null;
    }

    private static JsonObject Compose(SpanReading span, string step, string type, DateTimeOffset at, string subjectId, JsonObject content, JsonObject custom) =>
        WrittenEvents.Compose(span.Source, $"{span.Trace}/{span.Id}/{step}", HookTranslator.FullType(type), at, subjectId, span.Source,
            Values.WithoutNulls(content), (JsonObject)custom.DeepClone());

    /// <summary>What the timeline reads (<c>changeId</c>, <c>repository</c>, <c>commitSha</c>, <c>branch</c>, <c>outcome</c>) and the span's identity and attributes as sent.</summary>
    private static JsonObject Custom(SpanReading span, DateTimeOffset started, DateTimeOffset finished, string? outcome, string? environment = null, string? service = null)
    {
        var a = span.Attributes;
        var headType = a["vcs.ref.head.type"];
        return Values.WithoutNulls(new JsonObject
        {
            ["traceId"] = span.Trace,
            ["spanId"] = span.Id,
            ["parentSpanId"] = Hex(span.Span.ParentSpanId) is { Length: > 0 } parent ? parent : null,
            ["spanName"] = span.Span.Name,
            ["pipeline"] = a["cicd.pipeline.name"],
            ["pipelineRunId"] = a["cicd.pipeline.run.id"],
            ["task"] = a["cicd.pipeline.task.name"],
            ["taskType"] = a["cicd.pipeline.task.type"],
            ["outcome"] = outcome,
            ["changeId"] = ChangeIdOf(a, span.Repository),
            ["repository"] = span.Repository,
            ["repositoryUrl"] = a["vcs.repository.url.full"],
            ["branch"] = headType is null or "branch" ? a["vcs.ref.head.name"] : null,
            ["commitSha"] = a["vcs.ref.head.revision"],
            ["environment"] = environment,
            ["service"] = service,
            ["startedAt"] = Timestamps.Format(started),
            ["finishedAt"] = Timestamps.Format(finished),
            ["attributes"] = a.Sent(),
        });
    }

    /// <summary>CDEvents' outcome for the convention's result (<c>success</c>, <c>failure</c>, <c>error</c>, <c>timeout</c>, <c>cancellation</c>, <c>skip</c>), else the span's status.</summary>
    private static string? Outcome(string? result, Status? status) => result switch
    {
        "success" => "success",
        "failure" => "failure",
        "error" or "timeout" => "error",
        "cancellation" or "skip" => "cancel",
        null => status?.Code switch
        {
            Status.Types.StatusCode.Ok => "success",
            Status.Types.StatusCode.Error => "failure",
            _ => null,
        },
        _ => "error",
    };

    /// <summary><c>OWNER/NAME</c> from <c>vcs.repository.url.full</c>'s path, else <c>vcs.owner.name</c>/<c>vcs.repository.name</c>, else the name alone.</summary>
    private static string? RepositoryOf(Attributes a)
    {
        if (a["vcs.repository.url.full"] is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            var path = uri.AbsolutePath.Trim('/');
            path = path.EndsWith(".git", StringComparison.Ordinal) ? path[..^4] : path;
            if (path.Contains('/', StringComparison.Ordinal))
            {
                return path;
            }
        }

        return a["vcs.repository.name"] is { } name
            ? a["vcs.owner.name"] is { } owner && !name.Contains('/', StringComparison.Ordinal) ? $"{owner}/{name}" : name
            : null;
    }

    /// <summary>The change a span builds: <c>vcs.change.id</c> in its repository, with GitLab's <c>!</c> or everyone else's <c>#</c>.</summary>
    private static string? ChangeIdOf(Attributes a, string? repository)
    {
        if (repository is null || !repository.Contains('/', StringComparison.Ordinal) || a["vcs.change.id"] is not { } number)
        {
            return null;
        }

        var gitLab = a["vcs.provider.name"] is { } provider
            ? provider.Equals("gitlab", StringComparison.OrdinalIgnoreCase)
            : a["vcs.repository.url.full"]?.Contains("gitlab", StringComparison.OrdinalIgnoreCase) == true;
        return $"{repository}{(gitLab ? '!' : '#')}{number.TrimStart('#', '!')}";
    }

    private static string Hex(ByteString id) => id.IsEmpty ? "" : Convert.ToHexStringLower(id.Span);

    /// <summary>A span's attributes read as text (strings, numbers and booleans; arrays and maps are kept only in <see cref="Sent"/>).</summary>
    private sealed class Attributes
    {
        private readonly Dictionary<string, AnyValue> _values;

        private Attributes(Dictionary<string, AnyValue> values) => _values = values;

        public static Attributes Of(IEnumerable<KeyValue>? pairs)
        {
            var values = new Dictionary<string, AnyValue>(StringComparer.Ordinal);
            foreach (var pair in pairs ?? [])
            {
                values[pair.Key] = pair.Value ?? new AnyValue();
            }

            return new Attributes(values);
        }

        /// <summary>These attributes with <paramref name="pairs"/> over them (a span's over its resource's).</summary>
        public Attributes With(IEnumerable<KeyValue> pairs)
        {
            var values = new Dictionary<string, AnyValue>(_values, StringComparer.Ordinal);
            foreach (var pair in pairs)
            {
                values[pair.Key] = pair.Value ?? new AnyValue();
            }

            return new Attributes(values);
        }

        public string? this[string key] => _values.TryGetValue(key, out var value) ? Text(value) : null;

        /// <summary>The <c>cicd.*</c>, <c>vcs.*</c>, <c>deployment.*</c> and <c>service.*</c> attributes as sent, in key order, for the stored event.</summary>
        public JsonObject? Sent()
        {
            var kept = _values.Where(p => p.Key.StartsWith("cicd.", StringComparison.Ordinal) || p.Key.StartsWith("vcs.", StringComparison.Ordinal)
                    || p.Key.StartsWith("deployment.", StringComparison.Ordinal) || p.Key.StartsWith("service.", StringComparison.Ordinal))
                .OrderBy(p => p.Key, StringComparer.Ordinal)
                .ToList();
            if (kept.Count == 0)
            {
                return null;
            }

            var sent = new JsonObject();
            foreach (var (key, value) in kept)
            {
                sent[key] = Json(value);
            }

            return sent;
        }

        private static string? Text(AnyValue value) => value.ValueCase switch
        {
            AnyValue.ValueOneofCase.StringValue => value.StringValue is { Length: > 0 } text ? text : null,
            AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(CultureInfo.InvariantCulture),
            AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
            AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString("R", CultureInfo.InvariantCulture),
            _ => null,
        };

        private static JsonNode? Json(AnyValue value) => value.ValueCase switch
        {
            AnyValue.ValueOneofCase.StringValue => value.StringValue,
            AnyValue.ValueOneofCase.IntValue => value.IntValue,
            AnyValue.ValueOneofCase.BoolValue => value.BoolValue,
            AnyValue.ValueOneofCase.DoubleValue => double.IsFinite(value.DoubleValue) ? value.DoubleValue : value.DoubleValue.ToString(CultureInfo.InvariantCulture),
            AnyValue.ValueOneofCase.ArrayValue => new JsonArray([.. value.ArrayValue.Values.Select(Json)]),
            AnyValue.ValueOneofCase.KvlistValue => new JsonObject(value.KvlistValue.Values.GroupBy(p => p.Key).Select(g => KeyValuePair.Create(g.Key, Json(g.Last().Value ?? new AnyValue())))),
            AnyValue.ValueOneofCase.BytesValue => Convert.ToBase64String(value.BytesValue.Span),
            _ => null,
        };
    }
}
