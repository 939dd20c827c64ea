using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Throughline.Storage;
using OpenTelemetry.Proto.Collector.Trace.V1;

namespace Throughline.Intake.Otlp;

/// <summary>An OTLP/HTTP trace export read and translated (<see cref="CicdSpans"/>): the sources its events claim, and the events.</summary>
/// <param name="Sources">The <c>context.source</c> of its events, one per resource (<c>/otlp/SERVICE</c>): what an ingest token must allow.</param>
/// <param name="Translation">Its CI/CD spans as CDEvents, and the spans left out.</param>
public sealed record OtlpExport(IReadOnlyList<string> Sources, SpanTranslation Translation);

/// <summary>An OTLP/HTTP trace export, read from its two encodings (binary protobuf, and JSON), and the answer written back in the request's encoding.</summary>
/// <remarks>
/// The messages are the official definitions (<c>Intake/Otlp/Protos</c>). OTLP/JSON differs from protobuf's JSON mapping in
/// one way: trace and span ids are written in hexadecimal, not base64; they are turned into base64 before protobuf's parser
/// reads the rest. Unknown fields are ignored in both encodings, as OTLP asks of a receiver.
/// </remarks>
public static class OtlpTraceRequests
{
    /// <summary>The media type of binary protobuf.</summary>
    public const string ProtobufType = "application/x-protobuf";

    /// <summary>The media type of OTLP/JSON.</summary>
    public const string JsonType = "application/json";

    private const int MaxJsonDepth = 64;

    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true).WithRecursionLimit(MaxJsonDepth));

    /// <summary>The export in <paramref name="body"/>, translated; null with <paramref name="error"/> saying what is wrong when it is not one.</summary>
    /// <param name="body">The (decompressed) body.</param>
    /// <param name="json">True for OTLP/JSON, false for binary protobuf.</param>
    /// <param name="model">The model in force (it names a deployment's service after its repository); null without one.</param>
    /// <param name="error">Why the body is not a trace export.</param>
    public static OtlpExport? Read(ReadOnlySpan<byte> body, bool json, Model.OperatingModel? model, out string? error) =>
        Parse(body, json, out error) is { } request ? new OtlpExport(CicdSpans.SourcesOf(request), CicdSpans.Translate(request, model)) : null;

    /// <summary>The answer to an export, in the request's encoding: empty when every span was stored or ignored without remark,
    /// else OTLP's partial success with the rejected spans' count and reasons, or (nothing rejected) a warning about the spans
    /// that carry no CI/CD attributes.</summary>
    /// <param name="translation">What the export became.</param>
    /// <param name="json">True to write OTLP/JSON.</param>
    public static byte[] Answer(SpanTranslation translation, bool json)
    {
        ArgumentNullException.ThrowIfNull(translation);
        var response = new ExportTraceServiceResponse();
        if (translation.Rejected.Count > 0)
        {
            response.PartialSuccess = new ExportTracePartialSuccess
            {
                RejectedSpans = translation.Rejected.Count,
                ErrorMessage = string.Join("; ", translation.Rejected.Take(MaxReasons))
                    + (translation.Rejected.Count > MaxReasons ? $"; and {translation.Rejected.Count - MaxReasons} more" : ""),
            };
        }
        else if (translation.Ignored > 0)
        {
            response.PartialSuccess = new ExportTracePartialSuccess
            {
                ErrorMessage = $"{translation.Ignored} of {translation.Spans} spans carry no cicd.pipeline.* attributes and were not stored " +
                    "(only CI/CD spans are read: filter the others out before this receiver)",
            };
        }

        return json ? System.Text.Encoding.UTF8.GetBytes(JsonFormatter.Default.Format(response)) : response.ToByteArray();
    }

    /// <summary>How many rejected spans an answer names.</summary>
    private const int MaxReasons = 10;

    /// <summary>The request in <paramref name="body"/>; null with <paramref name="error"/> saying what is wrong when it is not one.</summary>
    internal static ExportTraceServiceRequest? Parse(ReadOnlySpan<byte> body, bool json, out string? error)
    {
        error = null;
        try
        {
            return json ? ReadJson(body, out error) : ExportTraceServiceRequest.Parser.ParseFrom(body);
        }
        catch (InvalidProtocolBufferException exception)
        {
            error = $"the body is not an OTLP trace export in {(json ? "JSON" : "binary protobuf")} ({exception.Message})";
            return null;
        }
        catch (InvalidJsonException exception)
        {
            error = $"the body is not an OTLP trace export in JSON ({exception.Message})";
            return null;
        }
    }

    private static ExportTraceServiceRequest? ReadJson(ReadOnlySpan<byte> body, out string? error)
    {
        error = null;
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = MaxJsonDepth });
        }
        catch (JsonException exception)
        {
            error = $"the body is not JSON ({exception.Message})";
            return null;
        }

        if (root is not JsonObject request)
        {
            error = "the body is not a JSON object (an OTLP trace export is {\"resourceSpans\": [...]})";
            return null;
        }

        foreach (var (path, holder, field) in IdFields(request))
        {
            if (holder[field] is not JsonValue value || !value.TryGetValue<string>(out var hex))
            {
                continue;
            }

            if (!TryHex(hex, out var bytes))
            {
                error = $"{path}.{field}: '{JsonText.Quote(hex)}' is not hexadecimal (OTLP/JSON writes trace and span ids as hex, e.g. \"5b8efff798038103d269b633813fc60c\")";
                return null;
            }

            holder[field] = Convert.ToBase64String(bytes);
        }

        return Parser.Parse<ExportTraceServiceRequest>(request.ToJsonString());
    }

    /// <summary>Every object holding a trace or span id, with its path for messages and the field's name.</summary>
    private static IEnumerable<(string Path, JsonObject Holder, string Field)> IdFields(JsonObject request)
    {
        foreach (var (resource, r) in Objects(request["resourceSpans"]))
        {
            foreach (var (scope, s) in Objects(resource["scopeSpans"]))
            {
                foreach (var (span, n) in Objects(scope["spans"]))
                {
                    var path = $"resourceSpans[{r}].scopeSpans[{s}].spans[{n}]";
                    yield return (path, span, "traceId");
                    yield return (path, span, "spanId");
                    yield return (path, span, "parentSpanId");
                    foreach (var (link, l) in Objects(span["links"]))
                    {
                        yield return ($"{path}.links[{l}]", link, "traceId");
                        yield return ($"{path}.links[{l}]", link, "spanId");
                    }
                }
            }
        }
    }

    private static IEnumerable<(JsonObject Item, int Index)> Objects(JsonNode? array) =>
        array is JsonArray items ? items.Select((item, index) => (Item: item as JsonObject, Index: index)).Where(i => i.Item is not null).Select(i => (i.Item!, i.Index)) : [];

    private static bool TryHex(string hex, out byte[] bytes)
    {
        try
        {
            bytes = Convert.FromHexString(hex);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
